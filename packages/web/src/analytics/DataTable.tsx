import {
  Box,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import type { ReactNode } from 'react';

export interface DataColumn {
  header: string;
  numeric?: boolean;
}

export interface DataRow {
  key: string;
  cells: ReactNode[];
}

/** A chart's numbers as a table, scrolling sideways on its own when too wide for the screen. */
export function DataTable({
  label,
  columns,
  rows,
}: {
  label: string;
  columns: readonly DataColumn[];
  rows: readonly DataRow[];
}) {
  return (
    <TableContainer>
      <Table size="small" aria-label={label}>
        <TableHead>
          <TableRow>
            {columns.map((column) => (
              <TableCell
                key={column.header}
                align={column.numeric ? 'right' : 'left'}
                sx={{ whiteSpace: 'nowrap' }}
              >
                {column.header}
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.map((row) => (
            <TableRow key={row.key}>
              {row.cells.map((cell, k) => (
                <TableCell
                  // Cells are positional: the column is their identity.
                  // biome-ignore lint/suspicious/noArrayIndexKey: see above
                  key={k}
                  align={columns[k]?.numeric ? 'right' : 'left'}
                  sx={{ whiteSpace: 'nowrap' }}
                >
                  {cell}
                </TableCell>
              ))}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}

/** A chart's table, folded away under "Show the numbers" (a chart is not read by a screen reader). */
export function NumbersDisclosure(props: Parameters<typeof DataTable>[0]) {
  return (
    <Box component="details">
      <Typography component="summary" variant="body2" sx={{ cursor: 'pointer', py: 0.5 }}>
        Show the numbers: {props.label.toLowerCase()}
      </Typography>
      <DataTable {...props} />
    </Box>
  );
}
