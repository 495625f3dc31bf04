/**
 * The challenger: a version the activity scorer runs beside the active model on live traffic,
 * its scores stored apart (`challenger_scores`) and compared with the active model's, so a
 * team sees how it would score before it decides anything. Activating it goes through
 * `activateModel` as for any version (the gate, the rescore); that ends its challenge.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../http/errors.js';
import { recordAudit } from '../audit/index.js';
import { ScoringErrors } from './scoring.errors.js';
import * as repository from './scoring.repository.js';
import type { Comparison, Model } from './scoring.schemas.js';
import {
  checkCanScore,
  clock,
  DEFAULT_LABEL,
  requireModel,
  type ScoringDeps,
  type StoredConfig,
  toModel,
  type WriteContext,
} from './scoring.service.js';
import * as challengerRepository from './scoring-challenger.repository.js';
import { MIN_OUTCOMES_PER_CLASS } from './scoring-training.js';

/**
 * Makes a ready or retired version the organisation's challenger from now on. The challenger
 * it replaces (one per organisation) is ready again. Asking again for the challenger changes
 * nothing.
 */
export async function startChallenger(
  deps: ScoringDeps,
  context: WriteContext,
  id: string,
): Promise<Model> {
  const { organizationId } = context;
  return deps.db.transaction().execute(async (trx) => {
    await repository.lockRegistry(trx, organizationId);
    const row = await requireModel(trx, organizationId, id);
    if (row.status === 'challenger') return toModel(row);
    checkCanScore(row);
    if (row.status === 'active') {
      throw new AppError(
        ScoringErrors.MODEL_IS_ACTIVE,
        `Version ${row.version} is the active model; a challenger runs beside it`,
      );
    }
    const now = clock(deps)();
    const replaced = await repository.findChallenger(trx, organizationId);
    if (replaced) await repository.stopChallenger(trx, organizationId, replaced.id, now);
    const started = await repository.startChallenger(trx, organizationId, row.id, now);
    await recordAudit(trx, {
      ...context,
      action: 'scoring_model.challenger_started',
      targetType: 'scoring_model',
      targetId: row.id,
      details: { version: row.version, replacedModelId: replaced?.id ?? null },
    });
    return toModel(started);
  });
}

/** Stops the organisation's challenger: it is ready again, its scores and report are kept. */
export async function stopChallenger(
  deps: ScoringDeps,
  context: WriteContext,
  id: string,
): Promise<Model> {
  const { organizationId } = context;
  return deps.db.transaction().execute(async (trx) => {
    await repository.lockRegistry(trx, organizationId);
    const row = await requireModel(trx, organizationId, id);
    if (row.status !== 'challenger') {
      throw new AppError(
        ScoringErrors.MODEL_NOT_CHALLENGER,
        `Version ${row.version} is ${row.status}, not the challenger`,
      );
    }
    const stopped = await repository.stopChallenger(trx, organizationId, row.id, clock(deps)());
    await recordAudit(trx, {
      ...context,
      action: 'scoring_model.challenger_stopped',
      targetType: 'scoring_model',
      targetId: row.id,
      details: { version: row.version, since: row.challenger_since?.toISOString() ?? null },
    });
    return toModel(stopped);
  });
}

/**
 * The side-by-side comparison for a version's performance report: a version that is or was
 * the challenger is compared with whichever model was active beside it, over its last run;
 * the active version with the current challenger, over the scores made beside it. Null when
 * neither applies.
 */
export async function comparisonFor(
  db: Kysely<DB>,
  row: repository.ModelRow,
): Promise<Comparison | null> {
  const organizationId = row.organization_id;
  if (row.status === 'active') {
    const challenger = await repository.findChallenger(db, organizationId);
    return challenger ? compare(db, challenger, row.id) : null;
  }
  return row.challenger_since ? compare(db, row, undefined) : null;
}

async function compare(
  db: Kysely<DB>,
  challenger: repository.ModelRow,
  activeModelId: string | undefined,
): Promise<Comparison> {
  const since = challenger.challenger_since as Date;
  const scores: challengerRepository.ComparedScores = {
    organizationId: challenger.organization_id,
    challengerId: challenger.id,
    since,
    ...(activeModelId !== undefined && { activeModelId }),
  };
  // The challenger's own label says which leads are outcomes, as its training did.
  const label = (challenger.config as StoredConfig).label ?? DEFAULT_LABEL;
  const spread = await challengerRepository.findScoreSpread(db, scores);
  const bands = await challengerRepository.findBandCounts(db, scores);
  const outcomes = await challengerRepository.findOutcomeRanking(db, scores, label);
  const enough =
    outcomes.converted >= MIN_OUTCOMES_PER_CLASS && outcomes.lost >= MIN_OUTCOMES_PER_CLASS;
  const byBand = new Map(bands.map((row) => [row.band, row]));
  return {
    challengerModelId: challenger.id,
    activeModelId: activeModelId ?? null,
    since: since.toISOString(),
    running: challenger.status === 'challenger',
    scorings: spread.scorings,
    leads: spread.leads,
    challenger: {
      meanScore: spread.challenger_mean,
      rocAuc: enough ? outcomes.challenger_roc_auc : null,
    },
    active: { meanScore: spread.active_mean, rocAuc: enough ? outcomes.active_roc_auc : null },
    meanAbsoluteDifference: spread.mean_absolute_difference,
    sameBandShare: spread.same_band_share,
    bands: Array.from({ length: 10 }, (_, band) => ({
      lower: band * 10,
      upper: band === 9 ? 100 : band * 10 + 10,
      challenger: byBand.get(band)?.challenger ?? 0,
      active: byBand.get(band)?.active ?? 0,
    })),
    outcomes: {
      converted: outcomes.converted,
      lost: outcomes.lost,
      reason: enough
        ? null
        : `ROC AUC needs at least ${MIN_OUTCOMES_PER_CLASS} converted and ${MIN_OUTCOMES_PER_CLASS} lost leads scored by the challenger before their outcome; there are ${outcomes.converted} converted and ${outcomes.lost} lost`,
    },
  };
}
