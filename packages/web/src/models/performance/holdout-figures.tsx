import { Alert, Paper, Typography } from '@mui/material';
import { formatCount, formatMetric, formatPercent } from '../format';
import type {
  CalibrationBin,
  FeatureImportance,
  LiftDecile,
  RocPoint,
  ScoreBand,
} from '../models.api';
import { ChartFigure } from './ChartFigure';
import { BarsChart, CurveChart } from './charts';

/*
 * The figures of a version's holdout evaluation: each lead scored by a model that did not
 * learn from it. Each figure draws one thing and tabulates the same numbers.
 */

const ROWS_PER_BAR_PX = 22;
const TOP_FEATURES = 15;

export const bandLabel = (band: { lower: number; upper: number }) => `${band.lower}–${band.upper}`;
export const decileLabel = (decile: number) => `D${decile}`;

export function RocCurveFigure({ curve, rocAuc }: { curve?: RocPoint[]; rocAuc: number }) {
  if (!curve)
    return (
      <Paper sx={{ p: 2 }}>
        <Typography variant="subtitle1" component="h3" sx={{ fontWeight: 600 }}>
          ROC curve
        </Typography>
        <Alert severity="info" sx={{ mt: 1 }}>
          ROC curve not available for this model; retrain to see it.
        </Alert>
      </Paper>
    );
  return (
    <ChartFigure
      title="ROC curve"
      summary={`ROC curve of the model, area ${formatMetric(rocAuc)}: the share of converted leads found (true positive rate) against the share of lost leads flagged (false positive rate) as the score threshold falls; the diagonal is chance.`}
      table={{
        columns: ['False positive rate', 'True positive rate'],
        rows: curve.map((point) => [formatMetric(point.fpr), formatMetric(point.tpr)]),
      }}
    >
      <CurveChart
        curves={[
          {
            label: `Model (AUC ${formatMetric(rocAuc)})`,
            points: curve.map((point) => ({ x: point.fpr, y: point.tpr })),
          },
        ]}
        xTitle="False positive rate"
        yTitle="True positive rate"
        diagonalLabel="Chance"
      />
    </ChartFigure>
  );
}

export function CalibrationFigure({ bins }: { bins: CalibrationBin[] }) {
  const filled = bins.filter((bin) => bin.meanPredicted !== null && bin.observedRate !== null);
  return (
    <ChartFigure
      title="Calibration"
      summary="Calibration plot: for leads grouped by predicted probability, the share that converted against the mean prediction; a well-calibrated model follows the diagonal."
      table={{
        columns: ['Predicted', 'Leads', 'Mean predicted', 'Observed rate'],
        rows: bins.map((bin) => [
          `${formatMetric(bin.lower, 1)}–${formatMetric(bin.upper, 1)}`,
          formatCount(bin.count),
          formatMetric(bin.meanPredicted),
          formatMetric(bin.observedRate),
        ]),
      }}
    >
      <CurveChart
        curves={[
          {
            label: 'Model',
            points: filled.map((bin) => ({
              x: bin.meanPredicted as number,
              y: bin.observedRate as number,
            })),
            showPoints: true,
          },
        ]}
        xTitle="Mean predicted probability"
        yTitle="Observed conversion rate"
        diagonalLabel="Perfectly calibrated"
      />
    </ChartFigure>
  );
}

export function liftTable(lift: readonly LiftDecile[]) {
  return {
    columns: ['Decile', 'Leads', 'Converted', 'Rate', 'Lift', 'Cumulative gain'],
    rows: lift.map((decile) => [
      decileLabel(decile.decile),
      formatCount(decile.count),
      formatMetric(decile.positives, 1),
      formatPercent(decile.rate),
      formatMetric(decile.lift, 2),
      formatPercent(decile.cumulativeGain),
    ]),
  };
}

export function LiftFigure({
  lift,
  title = 'Lift by decile',
}: {
  lift: LiftDecile[];
  title?: string;
}) {
  const top = lift[0];
  return (
    <ChartFigure
      title={title}
      summary={`${title}, from the highest-scored tenth of leads (D1) to the lowest (D10): how many times the average conversion rate each tenth converts at; D1 converts at ${formatMetric(top?.lift ?? null, 2)} times the average.`}
      table={liftTable(lift)}
    >
      <BarsChart
        labels={lift.map((decile) => decileLabel(decile.decile))}
        series={[{ label: 'Lift', values: lift.map((decile) => decile.lift) }]}
        valueTitle="Lift (1 = random)"
      />
    </ChartFigure>
  );
}

export function GainsFigure({ lift }: { lift: LiftDecile[] }) {
  const points = [
    { x: 0, y: 0 },
    ...lift.map((decile) => ({ x: decile.decile / 10, y: decile.cumulativeGain ?? 0 })),
  ];
  const half = lift[4]?.cumulativeGain ?? null;
  return (
    <ChartFigure
      title="Cumulative gains"
      summary={`Cumulative gains: the share of all conversions found by working the leads from the highest score down; the top half of leads holds ${formatPercent(half)} of conversions, against 50 % at random.`}
      table={liftTable(lift)}
    >
      <CurveChart
        curves={[{ label: 'Model', points, showPoints: true }]}
        xTitle="Share of leads, highest scores first"
        yTitle="Share of conversions found"
        diagonalLabel="Random"
      />
    </ChartFigure>
  );
}

export function bandTable(bands: readonly ScoreBand[]) {
  return {
    columns: ['Score band', 'Leads', 'Converted', 'Rate'],
    rows: bands.map((band) => [
      bandLabel(band),
      formatCount(band.count),
      formatCount(band.converted),
      formatPercent(band.rate),
    ]),
  };
}

export function BandConversionFigure({ bands, title }: { bands: ScoreBand[]; title: string }) {
  return (
    <ChartFigure
      title={title}
      summary={`${title}: the share of decided leads that converted, in each 10-point score band; a model that ranks well rises from left to right.`}
      table={bandTable(bands)}
    >
      <BarsChart
        labels={bands.map(bandLabel)}
        series={[
          {
            label: 'Conversion rate (%)',
            values: bands.map((band) => (band.rate === null ? null : band.rate * 100)),
          },
        ]}
        valueTitle="Converted (%)"
      />
    </ChartFigure>
  );
}

export function FeatureImportanceFigure({ features }: { features: FeatureImportance[] }) {
  const top = features.slice(0, TOP_FEATURES);
  return (
    <ChartFigure
      title="Feature importance"
      summary={`Feature importance: the ${top.length} features that move scores most, by mean absolute SHAP value; the strongest is ${top[0]?.feature ?? 'none'}.`}
      table={{
        columns: ['Feature', 'Mean |SHAP| (log-odds)', 'Split gain'],
        rows: features.map((feature) => [
          feature.feature,
          formatMetric(feature.meanAbsShap),
          formatMetric(feature.gain, 1),
        ]),
      }}
      height={60 + ROWS_PER_BAR_PX * top.length}
    >
      <BarsChart
        horizontal
        labels={top.map((feature) => feature.feature)}
        series={[{ label: 'Mean |SHAP|', values: top.map((feature) => feature.meanAbsShap) }]}
        valueTitle="Mean |SHAP| (log-odds)"
      />
    </ChartFigure>
  );
}
