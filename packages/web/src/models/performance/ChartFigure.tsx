import {
  Box,
  Paper,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import type { ReactNode } from 'react';

export interface DataTable {
  columns: readonly string[];
  rows: readonly (readonly (string | number)[])[];
}

interface ChartFigureProps {
  title: string;
  /** What the chart shows, in words: the canvas's accessible name. */
  summary: string;
  /** The numbers drawn, behind a "Show the data" toggle (canvas is invisible to screen readers). */
  table: DataTable;
  height?: number;
  /** The chart; rendered inside an element with role img named by `summary`. */
  children: ReactNode;
}

/** A titled chart card with an accessible summary and its data as a table. */
export function ChartFigure({ title, summary, table, height = 260, children }: ChartFigureProps) {
  return (
    <Paper component="figure" sx={{ m: 0, p: 2, minWidth: 0 }}>
      <Typography variant="subtitle1" component="figcaption" sx={{ fontWeight: 600 }}>
        {title}
      </Typography>
      <Box role="img" aria-label={summary} sx={{ position: 'relative', height, mt: 1 }}>
        {children}
      </Box>
      <Box component="details" sx={{ mt: 1 }}>
        <Box component="summary" sx={{ cursor: 'pointer', typography: 'body2' }}>
          Show the data
        </Box>
        <TableContainer>
          <Table size="small" aria-label={`${title}: data`}>
            <TableHead>
              <TableRow>
                {table.columns.map((column) => (
                  <TableCell key={column}>{column}</TableCell>
                ))}
              </TableRow>
            </TableHead>
            <TableBody>
              {table.rows.map((row, i) => (
                // Rows are positional (deciles, bands, points) and never reorder.
                // biome-ignore lint/suspicious/noArrayIndexKey: see above
                <TableRow key={i}>
                  {row.map((cell, j) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: cells are positional
                    <TableCell key={j}>{cell}</TableCell>
                  ))}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </TableContainer>
      </Box>
    </Paper>
  );
}
