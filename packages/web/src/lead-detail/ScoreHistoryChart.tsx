import '../charts/chart-setup';
import { Box, useTheme } from '@mui/material';
import { Line } from 'react-chartjs-2';
import { formatAxisTime } from './format';
import type { ScoreHistoryEntry } from './lead-detail.api';
import { useChartMotion } from './use-chart-motion';

/**
 * The score over time, oldest on the left. The axis is a category axis of formatted times
 * (one point a change), which needs no date adapter; the table below it has the exact times.
 */
export function ScoreHistoryChart({ newestFirst }: { newestFirst: readonly ScoreHistoryEntry[] }) {
  const { palette } = useTheme();
  const motion = useChartMotion();
  const entries = [...newestFirst].reverse();
  const first = entries[0];
  const last = entries.at(-1);
  const summary =
    first && last
      ? `Score over time: ${entries.length} changes, from ${first.score} on ${formatAxisTime(first.calculatedAt)} to ${last.score} on ${formatAxisTime(last.calculatedAt)}`
      : 'Score over time: no changes';
  return (
    <Box role="img" aria-label={summary} sx={{ position: 'relative', height: 220, minWidth: 0 }}>
      <Line
        data={{
          labels: entries.map((entry) => formatAxisTime(entry.calculatedAt)),
          datasets: [
            {
              label: 'Score',
              data: entries.map((entry) => entry.score),
              borderColor: palette.primary.main,
              backgroundColor: palette.primary.main,
              pointRadius: entries.length > 40 ? 0 : 3,
            },
          ],
        }}
        options={{
          responsive: true,
          maintainAspectRatio: false,
          ...motion,
          plugins: { legend: { display: false } },
          scales: {
            y: { min: 0, max: 100, title: { display: true, text: 'Score' } },
            x: { ticks: { autoSkip: true, maxRotation: 0 } },
          },
        }}
      />
    </Box>
  );
}
