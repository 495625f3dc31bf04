import { Alert, Box, Button, CircularProgress, Link, Stack, Typography } from '@mui/material';
import { useEffect, useState } from 'react';
import { Link as RouterLink, useParams } from 'react-router';
import { problemDetail } from '../api/base-query';
import { useCan } from '../auth/permissions';
import { GateVerdict } from './GateVerdict';
import { ModelStatusChip } from './ModelStatusChip';
import {
  type Performance,
  type PerformanceMetrics,
  useGetModelQuery,
  useGetPerformanceQuery,
} from './models.api';
import { BacktestSection } from './performance/BacktestSection';
import { ChallengerComparison } from './performance/ChallengerComparison';
import { HeadlineMetrics } from './performance/HeadlineMetrics';
import {
  BandConversionFigure,
  CalibrationFigure,
  FeatureImportanceFigure,
  GainsFigure,
  LiftFigure,
  RocCurveFigure,
} from './performance/holdout-figures';
import { useTrainingUpdates } from './training-updates';

/** While the version trains or a backtest runs, the report is read again this often. */
const PENDING_POLL_MS = 3000;

const isPending = (performance: Performance | undefined) =>
  performance?.status === 'training' || performance?.backtest?.status === 'queued';

/**
 * How well one version ranks leads: headline metrics, the holdout evaluation's curves and
 * bars, its backtest, and, for a challenger, the comparison with the active model.
 */
export function ModelPerformancePage() {
  const { modelId = '' } = useParams();
  const mayManage = useCan('models:manage');
  const [pending, setPending] = useState(false);
  const model = useGetModelQuery(modelId);
  const performance = useGetPerformanceQuery(modelId, {
    pollingInterval: pending ? PENDING_POLL_MS : 0,
  });
  const report = performance.data;
  useEffect(() => setPending(isPending(report)), [report]);
  useTrainingUpdates();

  const error = model.error ?? performance.error;
  const backToModels = (
    <Link component={RouterLink} to="/models">
      ← All models
    </Link>
  );
  if (error)
    return (
      <Stack spacing={2}>
        {backToModels}
        <Alert
          severity="error"
          action={
            <Button
              color="inherit"
              onClick={() => {
                model.refetch();
                performance.refetch();
              }}
            >
              Retry
            </Button>
          }
        >
          {problemDetail(error)}
        </Alert>
      </Stack>
    );
  if (!model.data || !report)
    return (
      <Box sx={{ display: 'grid', placeItems: 'center', py: 8 }}>
        <CircularProgress aria-label="Loading the model’s performance" />
      </Box>
    );

  const canScore = report.status !== 'training' && report.status !== 'failed';
  return (
    <Stack spacing={3}>
      <Stack spacing={1}>
        {backToModels}
        <Stack direction="row" spacing={2} sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
          <Typography variant="h5" component="h1">
            {model.data.name} · version {model.data.version}
          </Typography>
          <ModelStatusChip model={model.data} />
        </Stack>
        <GateVerdict gate={report.gate} />
      </Stack>
      {report.status === 'training' && (
        <Alert severity="info" aria-live="polite">
          Training… this page fills in when it finishes.
        </Alert>
      )}
      {report.status === 'failed' && (
        <Alert severity="error">Training failed: {report.error ?? 'no reason given'}</Alert>
      )}
      {report.metrics ? (
        <MetricsSections metrics={report.metrics} />
      ) : (
        report.status !== 'training' && (
          <Typography color="text.secondary">This version has no metrics.</Typography>
        )
      )}
      {canScore && (
        <BacktestSection modelId={modelId} backtest={report.backtest} canRun={mayManage} />
      )}
      {report.comparison && <ChallengerComparison comparison={report.comparison} />}
    </Stack>
  );
}

function MetricsSections({ metrics }: { metrics: PerformanceMetrics }) {
  const { holdout } = metrics;
  return (
    <>
      <HeadlineMetrics metrics={metrics} />
      <Stack spacing={2} component="section" aria-labelledby="holdout-heading">
        <Typography variant="h6" component="h2" id="holdout-heading">
          How it ranks leads it did not learn from
        </Typography>
        <Box
          sx={{
            display: 'grid',
            gap: 2,
            gridTemplateColumns: { xs: 'minmax(0, 1fr)', md: 'repeat(2, minmax(0, 1fr))' },
            alignItems: 'start',
          }}
        >
          <RocCurveFigure curve={holdout.rocCurve} rocAuc={holdout.rocAuc} />
          <CalibrationFigure bins={holdout.calibration} />
          <LiftFigure lift={holdout.lift} />
          <GainsFigure lift={holdout.lift} />
          <BandConversionFigure bands={holdout.conversionByBand} title="Conversion by score band" />
          {metrics.featureImportance.length > 0 && (
            <FeatureImportanceFigure features={metrics.featureImportance} />
          )}
        </Box>
      </Stack>
    </>
  );
}
