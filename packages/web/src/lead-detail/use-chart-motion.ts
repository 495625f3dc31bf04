import { useMediaQuery } from '@mui/material';

/**
 * Chart options that hold charts still for those who ask their system for less motion (Chart.js
 * animates by default); spread them into a chart's options.
 */
export function useChartMotion(): { animation?: false } {
  return useMediaQuery('(prefers-reduced-motion: reduce)') ? { animation: false } : {};
}
