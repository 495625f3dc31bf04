import { Box, LinearProgress, Paper, Stack, Typography } from '@mui/material';
import { type ReactNode, useId } from 'react';
import { LoadError } from '../layout/LoadError';

/** What a card needs to know of its RTK Query request. */
export interface ReportState {
  isFetching: boolean;
  error?: unknown;
  refetch: () => unknown;
}

interface ReportCardProps {
  title: string;
  description?: ReactNode;
  state: ReportState;
  /** The answer is here and holds nothing to draw (the empty state shows instead). */
  isEmpty: boolean | undefined;
  emptyText: string;
  children: ReactNode;
}

/**
 * One report on the analytics page, loading, failing and coming up empty on its own: one slow
 * or failed report does not hold the others back.
 */
export function ReportCard({
  title,
  description,
  state,
  isEmpty,
  emptyText,
  children,
}: ReportCardProps) {
  const headingId = useId();
  return (
    <Paper
      component="section"
      aria-labelledby={headingId}
      aria-busy={state.isFetching}
      sx={{ p: 2, minWidth: 0 }}
    >
      <Stack spacing={1.5}>
        <Box>
          <Typography id={headingId} variant="h6" component="h2">
            {title}
          </Typography>
          {description && (
            <Typography variant="body2" color="text.secondary">
              {description}
            </Typography>
          )}
        </Box>
        <Box sx={{ height: 4 }}>
          {state.isFetching && <LinearProgress aria-label={`Loading ${title.toLowerCase()}`} />}
        </Box>
        {state.error ? (
          <LoadError error={state.error} onRetry={() => state.refetch()} />
        ) : isEmpty ? (
          <Typography color="text.secondary" sx={{ py: 4, textAlign: 'center' }}>
            {emptyText}
          </Typography>
        ) : (
          isEmpty === false && children
        )}
      </Stack>
    </Paper>
  );
}
