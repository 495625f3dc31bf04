import {
  Alert,
  Box,
  Button,
  LinearProgress,
  Paper,
  Stack,
  TextField,
  Typography,
} from '@mui/material';
import { type FormEvent, useState } from 'react';
import { problemDetail } from '../../api/base-query';
import { formatCount, formatDay, formatMetric, formatPercent } from '../format';
import { type Backtest, type BacktestReport, useRunBacktestMutation } from '../models.api';
import { ChartFigure } from './ChartFigure';
import { BarsChart } from './charts';
import { bandLabel, bandTable, LiftFigure } from './holdout-figures';

const THRESHOLD_SOURCES: Record<Backtest['mqlThresholdSource'], string> = {
  request: 'as asked',
  alert_rule: 'from your MQL alert rule',
  default: 'the default',
};

interface BacktestSectionProps {
  modelId: string;
  backtest: Backtest | null;
  /** Whether the user may run one and the version can score (not training or failed). */
  canRun: boolean;
}

/**
 * Replays the organisation's decided leads through the version: how it would have ranked them
 * and how many MQLs it would have handed to sales each month.
 */
export function BacktestSection({ modelId, backtest, canRun }: BacktestSectionProps) {
  const [threshold, setThreshold] = useState('');
  const [run, { isLoading, error }] = useRunBacktestMutation();
  const thresholdValue = Number(threshold);
  const thresholdValid =
    threshold === '' ||
    (Number.isInteger(thresholdValue) && thresholdValue >= 1 && thresholdValue <= 100);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!thresholdValid) return;
    run({ id: modelId, ...(threshold !== '' && { mqlThreshold: thresholdValue }) });
  };

  return (
    <Stack spacing={2} component="section" aria-labelledby="backtest-heading">
      <Typography variant="h6" component="h2" id="backtest-heading">
        Backtest
      </Typography>
      {canRun && (
        <Stack
          component="form"
          onSubmit={submit}
          direction={{ xs: 'column', sm: 'row' }}
          spacing={2}
          sx={{ alignItems: { sm: 'flex-start' } }}
        >
          <TextField
            label="MQL threshold"
            type="number"
            value={threshold}
            onChange={(event) => setThreshold(event.target.value)}
            error={!thresholdValid}
            helperText={
              thresholdValid ? 'Empty: your MQL alert rule’s, else 70' : 'A score from 1 to 100'
            }
            slotProps={{ htmlInput: { min: 1, max: 100 } }}
            size="small"
          />
          <Button
            type="submit"
            variant="outlined"
            loading={isLoading}
            disabled={backtest?.status === 'queued'}
          >
            Run backtest
          </Button>
        </Stack>
      )}
      {error && <Alert severity="error">{problemDetail(error)}</Alert>}
      <BacktestResult backtest={backtest} />
    </Stack>
  );
}

function BacktestResult({ backtest }: { backtest: Backtest | null }) {
  if (!backtest)
    return <Typography color="text.secondary">No backtest has been run yet.</Typography>;
  if (backtest.status === 'queued')
    return (
      <Box aria-live="polite">
        <Typography variant="body2">Backtest running…</Typography>
        <LinearProgress aria-label="Backtest running" />
      </Box>
    );
  if (backtest.status === 'failed' || !backtest.report)
    return (
      <Alert severity="error">
        {backtest.error ?? 'The backtest failed with no reason given.'}
      </Alert>
    );
  return <BacktestReportView backtest={backtest} report={backtest.report} />;
}

function BacktestReportView({ backtest, report }: { backtest: Backtest; report: BacktestReport }) {
  const inSample = backtest.leadsInTrainingWindow ?? 0;
  return (
    <Stack spacing={2}>
      <Typography variant="body2" color="text.secondary">
        {formatCount(report.leads)} leads decided from {formatDay(backtest.outcomesFrom)} to{' '}
        {formatDay(backtest.outcomesTo)}, {formatCount(report.converted)} converted: ROC AUC{' '}
        <strong>{formatMetric(report.rocAuc)}</strong>, PR AUC {formatMetric(report.prAuc)}. With
        MQLs at a score of {report.mqlThreshold} ({THRESHOLD_SOURCES[backtest.mqlThresholdSource]}
        ), {formatPercent(report.mqlPrecision)} of MQLs converted and they held{' '}
        {formatPercent(report.mqlRecall)} of conversions.
      </Typography>
      {inSample > 0 && (
        <Alert severity="info">
          {formatCount(inSample)} of these leads were decided in the window the version learned
          from, so on them the backtest is in-sample and flatters it; the cross-validated figures
          above are the out-of-sample ones.
        </Alert>
      )}
      <Box
        sx={{
          display: 'grid',
          gap: 2,
          gridTemplateColumns: { xs: 'minmax(0, 1fr)', md: 'repeat(2, minmax(0, 1fr))' },
          alignItems: 'start',
        }}
      >
        <LiftFigure lift={report.lift} title="Backtest lift by decile" />
        <ChartFigure
          title="Backtest leads per score band"
          summary="Backtest: decided leads, and how many of them converted, in each 10-point band of the score they had when decided."
          table={bandTable(report.conversionByBand)}
        >
          <BarsChart
            labels={report.conversionByBand.map(bandLabel)}
            series={[
              { label: 'Leads', values: report.conversionByBand.map((band) => band.count) },
              { label: 'Converted', values: report.conversionByBand.map((band) => band.converted) },
            ]}
            valueTitle="Leads"
          />
        </ChartFigure>
        <ChartFigure
          title="MQLs per month"
          summary={`Backtest: the leads that would have first reached the MQL line of ${report.mqlThreshold} each month, and how many of them converted.`}
          table={{
            columns: ['Month', 'MQLs', 'Converted'],
            rows: report.mqlsByMonth.map((month) => [month.month, month.mqls, month.converted]),
          }}
        >
          <BarsChart
            labels={report.mqlsByMonth.map((month) => month.month)}
            series={[
              { label: 'MQLs', values: report.mqlsByMonth.map((month) => month.mqls) },
              { label: 'Converted', values: report.mqlsByMonth.map((month) => month.converted) },
            ]}
            valueTitle="Leads"
          />
        </ChartFigure>
      </Box>
      {report.mqlsByMonth.length === 0 && (
        <Paper sx={{ p: 2 }}>
          <Typography color="text.secondary">No lead reached the MQL line.</Typography>
        </Paper>
      )}
    </Stack>
  );
}
