import '../charts/chart-setup';
import { Box } from '@mui/material';
import type { ChartOptions } from 'chart.js';
import { Bar } from 'react-chartjs-2';
import type { RateSeries } from './chart-data';
import { errorBars } from './error-bars';

const BAR_PX = 28;

/** The value axis reaches past the highest whisker, to the next 10 %, and no further than 100 %. */
function axisMax(series: RateSeries): number {
  const highest = Math.max(0, ...series.intervals.map((interval) => interval?.upper ?? 0));
  return Math.min(100, Math.ceil(highest / 10) * 10 || 10);
}

/**
 * Conversion rates as bars, each with the whisker of its 95% interval. Many categories (sources)
 * read better as horizontal bars, which grow the chart downwards instead of squeezing it.
 */
export function RateChart({
  series,
  horizontal = false,
  description,
}: {
  series: RateSeries;
  horizontal?: boolean;
  description: string;
}) {
  const valueAxis = {
    min: 0,
    max: axisMax(series),
    title: { display: true, text: 'Conversion rate (%)' },
  };
  const options: ChartOptions<'bar'> = {
    indexAxis: horizontal ? 'y' : 'x',
    responsive: true,
    maintainAspectRatio: false,
    scales: horizontal ? { x: valueAxis } : { y: valueAxis },
    plugins: {
      legend: { display: false },
      errorBars: { whiskers: series.intervals },
      tooltip: {
        callbacks: {
          label: ({ dataIndex }) => {
            const interval = series.intervals[dataIndex];
            const rate = `${series.rates[dataIndex]}%`;
            return interval ? `${rate} (95% interval ${interval.lower}–${interval.upper}%)` : rate;
          },
        },
      },
    },
  };
  const data = {
    labels: series.labels,
    datasets: [{ label: 'Conversion rate', data: series.rates, backgroundColor: '#1976d2aa' }],
  };
  const height = horizontal ? 60 + BAR_PX * series.labels.length : 260;
  return (
    <Box sx={{ height, position: 'relative' }}>
      <Bar
        data={data}
        options={options}
        plugins={[errorBars]}
        role="img"
        aria-label={`${description}, with 95% intervals as whiskers; the table below has the numbers.`}
      />
    </Box>
  );
}
