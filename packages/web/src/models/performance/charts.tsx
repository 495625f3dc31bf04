import '../../charts/chart-setup';
import type { ChartData, ChartOptions } from 'chart.js';
import { Bar, Scatter } from 'react-chartjs-2';

/** Colours of the series a chart compares (the model first, then what it is compared with). */
export const SERIES_COLORS = ['#1e4fd8', '#e07a1f', '#2e7d32', '#8e24aa'] as const;
const REFERENCE_COLOR = '#9e9e9e';

export interface Curve {
  label: string;
  points: readonly { x: number; y: number }[];
  /** Draw each point as a dot too (few, meaningful points, like calibration bins). */
  showPoints?: boolean;
}

interface CurveChartProps {
  curves: readonly Curve[];
  xTitle: string;
  yTitle: string;
  /** The line y = x from (0, 0) to (1, 1): chance for ROC and gains, perfect for calibration. */
  diagonalLabel: string;
}

/** Curves on the unit square, with the diagonal to read them against. */
export function CurveChart({ curves, xTitle, yTitle, diagonalLabel }: CurveChartProps) {
  const data: ChartData<'scatter'> = {
    datasets: [
      ...curves.map((curve, i) => ({
        label: curve.label,
        data: curve.points.map((point) => ({ ...point })),
        showLine: true,
        borderColor: SERIES_COLORS[i % SERIES_COLORS.length],
        backgroundColor: SERIES_COLORS[i % SERIES_COLORS.length],
        pointRadius: curve.showPoints ? 3 : 0,
        borderWidth: 2,
      })),
      {
        label: diagonalLabel,
        data: [
          { x: 0, y: 0 },
          { x: 1, y: 1 },
        ],
        showLine: true,
        borderColor: REFERENCE_COLOR,
        borderDash: [6, 4],
        borderWidth: 1,
        pointRadius: 0,
      },
    ],
  };
  const axis = (text: string) => ({ min: 0, max: 1, title: { display: true, text } });
  const options: ChartOptions<'scatter'> = {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    scales: { x: axis(xTitle), y: axis(yTitle) },
    plugins: { legend: { position: 'bottom' } },
  };
  return <Scatter data={data} options={options} />;
}

export interface BarSeries {
  label: string;
  values: readonly (number | null)[];
}

interface BarsChartProps {
  labels: readonly string[];
  series: readonly BarSeries[];
  valueTitle: string;
  /** Bars grow to the right, one row per label: for long labels such as feature names. */
  horizontal?: boolean;
}

/** One or more series of bars over the same labels. */
export function BarsChart({ labels, series, valueTitle, horizontal = false }: BarsChartProps) {
  const data: ChartData<'bar'> = {
    labels: [...labels],
    datasets: series.map((one, i) => ({
      label: one.label,
      data: [...one.values],
      backgroundColor: `${SERIES_COLORS[i % SERIES_COLORS.length]}cc`,
    })),
  };
  const valueAxis = { beginAtZero: true, title: { display: true, text: valueTitle } };
  const options: ChartOptions<'bar'> = {
    indexAxis: horizontal ? 'y' : 'x',
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    scales: horizontal ? { x: valueAxis } : { y: valueAxis },
    plugins: { legend: { display: series.length > 1, position: 'bottom' } },
  };
  return <Bar data={data} options={options} />;
}
