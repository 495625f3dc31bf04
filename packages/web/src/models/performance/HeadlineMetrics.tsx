import { Box, Paper, Typography } from '@mui/material';
import { formatCount, formatMeanAndStd, formatMetric, formatPercent } from '../format';
import type { PerformanceMetrics } from '../models.api';

interface Stat {
  label: string;
  value: string;
  detail: string;
}

function statsOf(metrics: PerformanceMetrics): Stat[] {
  const cv = metrics.crossValidation;
  const { holdout } = metrics;
  const crossValidated = (summary: { mean: number; std: number } | undefined) =>
    cv && summary ? `${cv.folds}-fold CV ${formatMeanAndStd(summary)}` : 'on every decided lead';
  return [
    {
      label: 'ROC AUC',
      value: formatMetric(metrics.rocAuc),
      detail:
        metrics.rocAucSource === 'cross_validation' && cv
          ? `mean ± std over ${cv.folds} folds: ${formatMeanAndStd(cv.rocAuc)}`
          : 'on every decided lead (rules learn nothing)',
    },
    { label: 'PR AUC', value: formatMetric(holdout.prAuc), detail: crossValidated(cv?.prAuc) },
    {
      label: 'Log loss',
      value: formatMetric(holdout.logLoss),
      detail: crossValidated(cv?.logLoss),
    },
    { label: 'Brier score', value: formatMetric(holdout.brier), detail: crossValidated(cv?.brier) },
    {
      label: 'Decided leads',
      value: formatCount(metrics.rows),
      detail: `${formatCount(metrics.positives)} converted (${formatPercent(metrics.baseRate)})${
        metrics.skippedLeads > 0 ? `, ${formatCount(metrics.skippedLeads)} skipped` : ''
      }`,
    },
  ];
}

/** The numbers a version is judged by, each with how it was measured. */
export function HeadlineMetrics({ metrics }: { metrics: PerformanceMetrics }) {
  return (
    <Box
      component="dl"
      sx={{
        m: 0,
        display: 'grid',
        gap: 2,
        gridTemplateColumns: 'repeat(auto-fill, minmax(170px, 1fr))',
      }}
    >
      {statsOf(metrics).map((stat) => (
        <Paper key={stat.label} sx={{ p: 2 }}>
          <Typography component="dt" variant="body2" color="text.secondary">
            {stat.label}
          </Typography>
          <Typography component="dd" variant="h5" sx={{ m: 0 }}>
            {stat.value}
          </Typography>
          <Typography component="dd" variant="caption" color="text.secondary" sx={{ m: 0 }}>
            {stat.detail}
          </Typography>
        </Paper>
      ))}
    </Box>
  );
}
