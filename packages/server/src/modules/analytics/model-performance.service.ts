/**
 * How a model version does on live traffic: the outcomes decided since it started scoring,
 * each against the last score it gave the lead before the decision, evaluated with the
 * engine's metrics; and how far the scores it writes have drifted from the ones it was
 * trained (or backtested) on.
 */
import { evaluateBinary } from '@leadscore/engine';
import type { LeadStatus } from '../../db/schema.js';
import { AppError, HttpErrors } from '../../http/errors.js';
import { ScoringErrors } from '../scoring/index.js';
import type {
  DriftSummary,
  Evaluation,
  ModelPerformance,
  ModelPerformanceInput,
  Window,
} from './analytics.schemas.js';
import { type AnalyticsDeps, checkRange } from './analytics.service.js';
import { driftLevel, PSI_SIGNIFICANT, populationStabilityIndex } from './drift.js';
import * as repository from './model-performance.repository.js';
import { BAND_COUNT, countsByBand, SCORE_BANDS } from './score-bands.js';

/** Decided leads of each outcome the metrics need (ROC AUC of fewer says little; lift needs 10 rows). */
export const MIN_OUTCOMES_PER_CLASS = 10;
/** Leads the version must have scored in a period before its drift is measured. */
export const MIN_SCORES_FOR_DRIFT = 30;
/** Windows one report may hold. */
export const MAX_WINDOWS = 200;

/** The outcomes a version is judged on when its config names none, as its training did. */
const DEFAULT_LABEL: { converted: LeadStatus[]; lost: LeadStatus[] } = {
  converted: ['converted'],
  lost: ['lost'],
};

export async function modelPerformance(
  deps: AnalyticsDeps,
  organizationId: string,
  query: ModelPerformanceInput,
): Promise<ModelPerformance> {
  const requestedFrom = query.from === undefined ? undefined : new Date(query.from);
  const to = query.to === undefined ? (deps.now ?? (() => new Date()))() : new Date(query.to);
  checkRange('from', requestedFrom, 'to', query.to === undefined ? undefined : to);
  const model = await repository.findPerformanceModel(deps.db, organizationId, query.modelId);
  if (!model) throw new AppError(ScoringErrors.MODEL_NOT_FOUND);
  const scoringSince = earliest(model.activated_at, model.challenger_since);
  const from = scoringSince && latest(requestedFrom, scoringSince);
  const baseline = readBaseline(model);
  const windows = from && query.window ? windowsBetween(from, to, query.window) : [];

  const never =
    from === null
      ? `Version ${model.version} has not scored live: it has never been active or the challenger`
      : null;
  const scope = { organizationId, modelId: model.id, from: from ?? to, to, window: query.window };
  // Independent reads: PostgreSQL serves them at once from its pool (PGlite queues them).
  const [outcomes, overallBands, windowBands] = never
    ? [[], [], []]
    : await Promise.all([
        repository.countOutcomesByScore(deps.db, scope, model.label ?? DEFAULT_LABEL),
        repository.countScoresByBand(deps.db, { ...scope, window: undefined }),
        windows.length === 0 ? [] : repository.countScoresByBand(deps.db, scope),
      ]);

  const overallCounts = countsByBand(overallBands);
  return {
    modelId: model.id,
    version: model.version,
    status: model.status,
    label: model.label ?? DEFAULT_LABEL,
    scoringSince: scoringSince?.toISOString() ?? null,
    from: from?.toISOString() ?? null,
    to: to.toISOString(),
    window: query.window ?? null,
    performance: evaluate(outcomes, never),
    baseline: baseline && { source: baseline.source, leads: total(baseline.counts) },
    drift: {
      ...measureDrift(baseline?.counts ?? null, overallCounts, never),
      bands: SCORE_BANDS.map((band, k) => ({
        ...band,
        expected: baseline?.counts[k] ?? 0,
        actual: overallCounts[k] as number,
      })),
    },
    windows: windows.map(({ key, start, end }) => {
      const inWindow = <T extends { window_start: string | null }>(rows: T[]) =>
        rows.filter((row) => row.window_start === key);
      return {
        start: start.toISOString(),
        end: end.toISOString(),
        performance: evaluate(inWindow(outcomes), null),
        drift: measureDrift(baseline?.counts ?? null, countsByBand(inWindow(windowBands)), null),
      };
    }),
  };
}

/** The engine's evaluation of the scored outcomes, score/100 standing for the probability. */
function evaluate(
  rows: readonly repository.OutcomeCount[],
  unavailable: string | null,
): Evaluation {
  const scored = rows.filter(
    (row): row is repository.OutcomeCount & { score: number } => row.score !== null,
  );
  const converted = sum(scored.filter((row) => row.converted));
  const lost = sum(scored) - converted;
  const counts = { outcomes: sum(rows), scored: converted + lost, converted, lost };
  if (unavailable) return { ...counts, metrics: null, reason: unavailable };
  if (converted < MIN_OUTCOMES_PER_CLASS || lost < MIN_OUTCOMES_PER_CLASS) {
    return {
      ...counts,
      metrics: null,
      reason: `The metrics need at least ${MIN_OUTCOMES_PER_CLASS} converted and ${MIN_OUTCOMES_PER_CLASS} lost leads that the version scored before their decision; the period holds ${converted} converted and ${lost} lost (and ${counts.outcomes - counts.scored} decided leads it had not scored)`,
    };
  }
  const labels = new Uint8Array(counts.scored);
  const scores = new Float64Array(counts.scored);
  let row = 0;
  for (const group of scored) {
    labels.fill(group.converted ? 1 : 0, row, row + group.count);
    scores.fill(group.score, row, row + group.count);
    row += group.count;
  }
  const evaluation = evaluateBinary(
    labels,
    scores.map((score) => score / 100),
    scores,
  );
  return {
    ...counts,
    metrics: {
      baseRate: evaluation.baseRate,
      rocAuc: evaluation.rocAuc,
      prAuc: evaluation.prAuc,
      brier: evaluation.brier,
      logLoss: evaluation.logLoss,
      calibration: evaluation.calibration,
      lift: evaluation.lift,
    },
    reason: null,
  };
}

function measureDrift(
  baseline: readonly number[] | null,
  actual: readonly number[],
  unavailable: string | null,
): DriftSummary {
  const scoredLeads = total(actual);
  const none = (reason: string): DriftSummary => ({
    scoredLeads,
    psi: null,
    level: null,
    driftWarning: false,
    reason,
  });
  if (unavailable) return none(unavailable);
  if (!baseline) {
    return none(
      'No baseline to compare with: the version stored no training evaluation and has not been backtested',
    );
  }
  if (scoredLeads < MIN_SCORES_FOR_DRIFT) {
    return none(
      `Drift is measured once the version has scored at least ${MIN_SCORES_FOR_DRIFT} leads in the period; it scored ${scoredLeads}`,
    );
  }
  const psi = populationStabilityIndex(baseline, actual) as number;
  return {
    scoredLeads,
    psi,
    level: driftLevel(psi),
    driftWarning: psi >= PSI_SIGNIFICANT,
    reason: null,
  };
}

/** The distribution drift is measured against: training's, else the last backtest's. */
function readBaseline(
  model: repository.PerformanceModelRow,
): { source: 'training' | 'backtest'; counts: number[] } | null {
  const training = bandCounts(model.training_bands);
  if (training) return { source: 'training', counts: training };
  const backtest = bandCounts(model.backtest_bands);
  return backtest && { source: 'backtest', counts: backtest };
}

/** The counts of the engine's ten default score bands, or null when that is not what is stored. */
function bandCounts(stored: unknown): number[] | null {
  if (!Array.isArray(stored) || stored.length !== BAND_COUNT) return null;
  const counts = stored.map((band: { lower?: unknown; count?: unknown }, k) =>
    band?.lower === k * 10 && typeof band.count === 'number' ? band.count : Number.NaN,
  );
  return counts.every((count) => count >= 0) && total(counts) > 0 ? counts : null;
}

/** The calendar weeks (from Monday) or months, UTC, that overlap [from, to). */
function windowsBetween(
  from: Date,
  to: Date,
  window: Window,
): { key: string; start: Date; end: Date }[] {
  const windows: { key: string; start: Date; end: Date }[] = [];
  for (let start = windowStart(from, window); start < to; start = nextWindow(start, window)) {
    if (windows.length === MAX_WINDOWS) {
      const message = `${from.toISOString()} to ${to.toISOString()} spans more than ${MAX_WINDOWS} ${window}s; narrow from and to, or ask for a longer window`;
      throw new AppError(HttpErrors.VALIDATION_FAILED, `querystring.window: ${message}`, {
        errors: [{ in: 'querystring', field: 'window', message }],
      });
    }
    windows.push({ key: start.toISOString().slice(0, 10), start, end: nextWindow(start, window) });
  }
  return windows;
}

function windowStart(at: Date, window: Window): Date {
  const day = Date.UTC(
    at.getUTCFullYear(),
    at.getUTCMonth(),
    window === 'month' ? 1 : at.getUTCDate(),
  );
  if (window === 'month') return new Date(day);
  // getUTCDay is 0 on Sunday: step back to Monday, as PostgreSQL's date_trunc('week') does.
  return new Date(day - ((new Date(day).getUTCDay() + 6) % 7) * 86_400_000);
}

function nextWindow(start: Date, window: Window): Date {
  return window === 'month'
    ? new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1))
    : new Date(start.getTime() + 7 * 86_400_000);
}

function earliest(...dates: (Date | null)[]): Date | null {
  const present = dates.filter((date): date is Date => date !== null);
  return present.length === 0 ? null : new Date(Math.min(...present.map(Number)));
}

function latest(requested: Date | undefined, since: Date): Date {
  return requested && requested > since ? requested : since;
}

const sum = (rows: readonly { count: number }[]) => rows.reduce((n, row) => n + row.count, 0);
const total = (counts: readonly number[]) => counts.reduce((n, count) => n + count, 0);
