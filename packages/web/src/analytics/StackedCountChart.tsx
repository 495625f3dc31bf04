import '../charts/chart-setup';
import { Box } from '@mui/material';
import type { ChartOptions } from 'chart.js';
import { Bar } from 'react-chartjs-2';
import { bandColour, type StackedSeries } from './chart-data';

const UNSCORED_COLOUR = '#bdbdbd';

const options: ChartOptions<'bar'> = {
  responsive: true,
  maintainAspectRatio: false,
  plugins: { legend: { position: 'bottom', labels: { boxWidth: 12 } } },
  scales: {
    x: { stacked: true },
    y: {
      stacked: true,
      beginAtZero: true,
      ticks: { precision: 0 },
      title: { display: true, text: 'Leads' },
    },
  },
};

/** Leads per band at each point in time, the bands stacked from the lowest up; unscored on top. */
export function StackedCountChart({
  series,
  description,
}: {
  series: StackedSeries;
  description: string;
}) {
  const bandCount = series.series.length - 1;
  const data = {
    labels: series.labels,
    datasets: series.series.map((band, k) => ({
      label: band.label,
      data: band.values,
      backgroundColor: k < bandCount ? bandColour(k, bandCount) : UNSCORED_COLOUR,
    })),
  };
  return (
    <Box sx={{ height: 320, position: 'relative' }}>
      <Bar data={data} options={options} role="img" aria-label={description} />
    </Box>
  );
}
