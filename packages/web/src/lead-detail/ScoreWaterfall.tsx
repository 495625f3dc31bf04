import '../charts/chart-setup';
import { Box, Table, TableBody, TableCell, TableRow, useTheme } from '@mui/material';
import { Bar } from 'react-chartjs-2';
import { roundPoints, signedPoints } from './format';
import { useChartMotion } from './use-chart-motion';
import type { WaterfallBar } from './waterfall';

/** How long a bar is, as its label reads: a step's change, or the level of the start and total. */
const barAmount = (bar: WaterfallBar) =>
  bar.kind === 'rise' || bar.kind === 'fall'
    ? signedPoints(bar.to - bar.from)
    : String(roundPoints(bar.to));

/**
 * A waterfall chart of how a score is built (floating bars: each step rises in green or falls
 * in red from where the one before it ended), with the same numbers as a table beside it for
 * those who cannot see the chart. The bars lie down, so their labels stay readable on a phone.
 */
export function ScoreWaterfall({
  bars,
  summary,
}: {
  bars: readonly WaterfallBar[];
  summary: string;
}) {
  const { palette } = useTheme();
  const motion = useChartMotion();
  const colorOf: Record<WaterfallBar['kind'], string> = {
    start: palette.grey[500],
    rise: palette.success.main,
    fall: palette.error.main,
    total: palette.primary.main,
  };
  return (
    <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', sm: '2fr 1fr' } }}>
      <Box role="img" aria-label={summary} sx={{ position: 'relative', height: 220, minWidth: 0 }}>
        <Bar
          data={{
            labels: bars.map((bar) => bar.label),
            datasets: [
              {
                label: 'Score points',
                data: bars.map(
                  (bar) => [roundPoints(bar.from), roundPoints(bar.to)] as [number, number],
                ),
                backgroundColor: bars.map((bar) => colorOf[bar.kind]),
                borderRadius: 4,
              },
            ],
          }}
          options={{
            indexAxis: 'y',
            responsive: true,
            maintainAspectRatio: false,
            ...motion,
            plugins: {
              legend: { display: false },
              tooltip: {
                callbacks: { label: (item) => barAmount(bars[item.dataIndex] as WaterfallBar) },
              },
            },
            // Suggested, not fixed: a trained model's parts may dip below 0 on the way.
            scales: {
              x: { suggestedMin: 0, suggestedMax: 100, title: { display: true, text: 'Score' } },
            },
          }}
        />
      </Box>
      <Table size="small" aria-label="Score breakdown">
        <TableBody>
          {bars.map((bar) => (
            <TableRow key={bar.label}>
              <TableCell component="th" scope="row">
                {bar.label}
              </TableCell>
              <TableCell align="right">{barAmount(bar)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
}
