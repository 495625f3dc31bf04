import {
  Box,
  Button,
  LinearProgress,
  Paper,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import type { ReactNode } from 'react';
import { LoadError } from '../layout/LoadError';
import type { CursorPages } from './paging';

interface SettingsListProps {
  /** Names the table ("Users", "API keys"). */
  label: string;
  headers: readonly string[];
  query: { isFetching: boolean; error?: unknown; refetch: () => unknown };
  /** The rows to show; undefined until the first answer. */
  rowCount: number | undefined;
  emptyText: string;
  pages: CursorPages;
  /** The answer's nextCursor: null on the last page. */
  nextCursor: string | null | undefined;
  children: ReactNode;
}

/** A settings table with its loading, error and empty states and its page controls. */
export function SettingsList({
  label,
  headers,
  query,
  rowCount,
  emptyText,
  pages,
  nextCursor,
  children,
}: SettingsListProps) {
  return (
    <Stack spacing={2}>
      {query.error ? <LoadError error={query.error} onRetry={() => query.refetch()} /> : null}
      <Paper>
        <Box sx={{ height: 4 }}>
          {query.isFetching && <LinearProgress aria-label={`Loading ${label.toLowerCase()}`} />}
        </Box>
        <TableContainer>
          <Table size="small" aria-label={label}>
            <TableHead>
              <TableRow>
                {headers.map((header) => (
                  <TableCell key={header} sx={{ whiteSpace: 'nowrap' }}>
                    {header}
                  </TableCell>
                ))}
              </TableRow>
            </TableHead>
            <TableBody>
              {children}
              {rowCount === 0 && (
                <TableRow>
                  <TableCell colSpan={headers.length}>
                    <Typography sx={{ py: 4, textAlign: 'center' }} color="text.secondary">
                      {emptyText}
                    </Typography>
                  </TableCell>
                </TableRow>
              )}
            </TableBody>
          </Table>
        </TableContainer>
        {(pages.hasPrevious || nextCursor) && (
          <Stack
            direction="row"
            spacing={1}
            sx={{ p: 1, justifyContent: 'flex-end', alignItems: 'center' }}
          >
            <Typography variant="body2" color="text.secondary">
              Page {pages.page}
            </Typography>
            <Button disabled={!pages.hasPrevious} onClick={pages.previous}>
              Previous
            </Button>
            <Button disabled={!nextCursor} onClick={() => nextCursor && pages.next(nextCursor)}>
              Next
            </Button>
          </Stack>
        )}
      </Paper>
    </Stack>
  );
}

/** When something happened, for a table cell; a dash for never. */
export const when = (iso: string | null) =>
  iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '—';
