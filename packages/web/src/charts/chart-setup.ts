import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  ScatterController,
  TimeScale,
  Tooltip,
} from 'chart.js';

/**
 * The parts of Chart.js the dashboard draws with, registered once (Chart.js is tree-shaken:
 * a chart type or scale not registered here is not in the bundle). Import this module from
 * any file that renders a chart.
 */
Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  ScatterController,
  Tooltip,
);

export { Chart, TimeScale };
