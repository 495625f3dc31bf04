import '../charts/chart-setup';
import { Box } from '@mui/material';
import type { ChartOptions } from 'chart.js';
import { Bar } from 'react-chartjs-2';
import type { BarSeries } from './chart-data';

const options: ChartOptions<'bar'> = {
  responsive: true,
  maintainAspectRatio: false,
  plugins: { legend: { display: false } },
  scales: {
    y: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: 'Leads' } },
  },
};

/** A bar per category (a score band, a grade) as tall as its count of leads. */
export function CountChart({
  series,
  colours,
  description,
}: {
  series: BarSeries;
  colours: string | string[];
  /** What the chart shows, for those who cannot see it. */
  description: string;
}) {
  const data = {
    labels: series.labels,
    datasets: [{ label: 'Leads', data: series.values, backgroundColor: colours }],
  };
  const summary = series.labels.map((label, k) => `${label}: ${series.values[k]}`).join(', ');
  return (
    <Box sx={{ height: 240, position: 'relative' }}>
      <Bar data={data} options={options} role="img" aria-label={`${description}. ${summary}.`} />
    </Box>
  );
}
