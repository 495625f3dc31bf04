import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { AppError, HttpErrors } from '../../http/errors.js';
import { ScoringErrors } from '../scoring/index.js';
import * as repository from './analytics.repository.js';
import type {
  ConversionRates,
  LeadFilterQuery,
  RateCountsView,
  ScoreDistribution,
  ScoreDistributionInput,
} from './analytics.schemas.js';
import { countsByBand, GRADES, SCORE_BANDS } from './score-bands.js';
import { wilsonInterval, Z_95 } from './wilson.js';

export interface AnalyticsDeps {
  readonly db: Kysely<DB>;
  readonly now?: () => Date;
}

/** Sources listed one by one in the conversion report; the rest are counted as omitted. */
export const MAX_SOURCES = 100;

/** Leads per score band and per grade, of the current scores or as of a time, by a model. */
export async function scoreDistribution(
  deps: AnalyticsDeps,
  organizationId: string,
  query: ScoreDistributionInput,
): Promise<ScoreDistribution> {
  const filters = toFilters(query);
  const asOf = query.asOf === undefined ? undefined : new Date(query.asOf);
  const { modelId } = query;
  if (modelId !== undefined && !(await repository.modelExists(deps.db, organizationId, modelId))) {
    throw new AppError(ScoringErrors.MODEL_NOT_FOUND);
  }
  const rows =
    asOf === undefined && modelId === undefined
      ? await repository.countCurrentScores(deps.db, organizationId, filters)
      : await repository.countNewestScores(deps.db, organizationId, filters, { asOf, modelId });

  const scored = rows.filter(
    (row): row is repository.BandGradeCount & { band: number } => row.band !== null,
  );
  const bandCounts = countsByBand(scored);
  const gradeCounts = new Map<string, number>();
  for (const row of scored) {
    if (row.grade !== null)
      gradeCounts.set(row.grade, (gradeCounts.get(row.grade) ?? 0) + row.count);
  }
  const total = sum(rows);
  const scoredTotal = sum(scored);
  const graded = GRADES.reduce((count, grade) => count + (gradeCounts.get(grade) ?? 0), 0);
  return {
    asOf: asOf?.toISOString() ?? null,
    modelId: modelId ?? null,
    total,
    scored: scoredTotal,
    unscored: total - scoredTotal,
    bands: SCORE_BANDS.map((band, k) => ({ ...band, count: bandCounts[k] as number })),
    grades: GRADES.map((grade) => ({ grade, count: gradeCounts.get(grade) ?? 0 })),
    ungraded: scoredTotal - graded,
  };
}

/**
 * Conversion (converted / (converted + lost)) with its 95% Wilson interval: by the band of the
 * score each lead had when decided, by source and by created month.
 */
export async function conversionRates(
  deps: AnalyticsDeps,
  organizationId: string,
  query: LeadFilterQuery,
): Promise<ConversionRates> {
  const filters = toFilters(query);
  // Two reads that PostgreSQL serves at once from a pool (PGlite queues them).
  const [cohorts, decidedByBand] = await Promise.all([
    repository.countOutcomesBySourceAndMonth(deps.db, organizationId, filters),
    repository.countDecidedByOutcomeBand(deps.db, organizationId, filters),
  ]);
  const byBand = new Map(decidedByBand.map((row) => [row.band, { ...row, open: 0 }]));
  const bands = [
    ...SCORE_BANDS.map((bounds, k) => ({ ...bounds, counts: byBand.get(k) })),
    { lower: null, upper: null, label: 'unscored', counts: byBand.get(-1) },
  ];
  const sources = [...addUp(cohorts, (group) => group.source)].sort(
    ([a, countsA], [b, countsB]) =>
      leads(countsB) - leads(countsA) || String(a).localeCompare(String(b)),
  );
  const months = [...addUp(cohorts, (group) => group.month)].sort(([a], [b]) => a.localeCompare(b));
  return {
    confidence: 0.95,
    overall: rateCounts(addUp(cohorts, () => 'all').get('all')),
    // Open leads have no score at the outcome, so no band.
    byScoreBand: bands.map(({ counts, ...bounds }) => {
      const { open: _open, ...outcomes } = rateCounts(counts);
      return { ...bounds, ...outcomes };
    }),
    bySource: sources
      .slice(0, MAX_SOURCES)
      .map(([source, counts]) => ({ source, ...rateCounts(counts) })),
    sourcesOmitted: Math.max(0, sources.length - MAX_SOURCES),
    byCohort: months.map(([month, counts]) => ({ month, ...rateCounts(counts) })),
  };
}

type OutcomeCounts = Pick<repository.CohortOutcomes, 'converted' | 'lost' | 'open'>;

/** The groups' counts added up per key. */
function addUp<K>(
  groups: readonly repository.CohortOutcomes[],
  key: (group: repository.CohortOutcomes) => K,
): Map<K, OutcomeCounts> {
  const totals = new Map<K, OutcomeCounts>();
  for (const group of groups) {
    const total = totals.get(key(group)) ?? { converted: 0, lost: 0, open: 0 };
    totals.set(key(group), {
      converted: total.converted + group.converted,
      lost: total.lost + group.lost,
      open: total.open + group.open,
    });
  }
  return totals;
}

function rateCounts(counts: OutcomeCounts | undefined): RateCountsView {
  const { converted = 0, lost = 0, open = 0 } = counts ?? {};
  const decided = converted + lost;
  return {
    converted,
    lost,
    decided,
    open,
    rate: decided === 0 ? null : converted / decided,
    interval: wilsonInterval(converted, decided, Z_95),
  };
}

const leads = (counts: OutcomeCounts) => counts.converted + counts.lost + counts.open;
const sum = (rows: readonly { count: number }[]) => rows.reduce((n, row) => n + row.count, 0);

/** The lead filters of a query, its created range checked. */
export function toFilters(query: LeadFilterQuery): repository.LeadFilters {
  const createdFrom = query.createdFrom === undefined ? undefined : new Date(query.createdFrom);
  const createdTo = query.createdTo === undefined ? undefined : new Date(query.createdTo);
  checkRange('createdFrom', createdFrom, 'createdTo', createdTo);
  return {
    source: query.source,
    ownerId: query.ownerId,
    industry: query.industry,
    createdFrom,
    createdTo,
  };
}

/** A range whose start is after its end is a 400 naming the start. */
export function checkRange(
  fromField: string,
  from: Date | undefined,
  toField: string,
  to: Date | undefined,
): void {
  if (from && to && from > to) {
    const message = `must not be after ${toField}`;
    throw new AppError(HttpErrors.VALIDATION_FAILED, `querystring.${fromField}: ${message}`, {
      errors: [{ in: 'querystring', field: fromField, message }],
    });
  }
}
