/**
 * Scoring a lead on request, storing nothing: a stored lead (with, optionally, activities it has
 * not done, to ask "what if"), or a lead that exists only in the request, such as a form a
 * website wants to route before it creates anything.
 */
import {
  computeLeadFeatures,
  EngineError,
  type LeadActivity,
  type LeadProfile,
} from '@leadscore/engine';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { AppError, HttpErrors } from '../../http/errors.js';
import { toProfile } from '../../pipeline/index.js';
import { DEFAULT_SCORING_MODEL, type ScoringModel } from '../../pipeline/scoring-model.js';
import * as repository from './scoring.repository.js';
import {
  checkCanScore,
  clock,
  invalidField,
  loadStored,
  requireModel,
  type ScoringDeps,
} from './scoring.service.js';
import type { LeadScoreResult, ScoreLeadInput } from './scoring-lead.schemas.js';
import { groupActivities } from './scoring-training.service.js';

const DEFAULT_REASONS = 3;

export async function scoreLeadOnRequest(
  deps: Pick<ScoringDeps, 'db' | 'now'>,
  organizationId: string,
  input: ScoreLeadInput,
): Promise<LeadScoreResult> {
  if ((input.leadId === undefined) === (input.lead === undefined)) {
    throw invalidField('leadId', 'give either `leadId` (a stored lead) or `lead`, not both');
  }
  const asOf = input.asOf === undefined ? clock(deps)() : new Date(input.asOf);
  const { id: modelId, model } = await scoringModel(deps.db, organizationId, input.modelId);
  const given = (input.activities ?? []).map(
    (activity): LeadActivity => ({
      type: activity.type,
      timestamp: Date.parse(activity.timestamp),
      ...(activity.data && { data: activity.data as Record<string, unknown> }),
    }),
  );
  const { profile, activities } =
    input.leadId === undefined
      ? { profile: adHocProfile(input.lead ?? {}), activities: given }
      : await storedLead(deps.db, organizationId, input.leadId, given);

  let scored: ReturnType<ScoringModel['score']>;
  try {
    const seen = activities.filter((activity) => activity.timestamp <= asOf.getTime());
    const features = computeLeadFeatures(profile, seen, asOf.getTime(), model.features);
    scored = model.score(profile, features, { reasons: input.reasons ?? DEFAULT_REASONS });
  } catch (error) {
    if (!(error instanceof EngineError)) throw error;
    throw invalidField('activities', error.message);
  }
  const reasons = scored.breakdown.reasons as LeadScoreResult['reasons'] | undefined;
  return {
    leadId: input.leadId ?? null,
    modelId,
    algorithm: model.algorithm,
    asOf: asOf.toISOString(),
    score: scored.score,
    confidence: scored.confidence,
    breakdown: scored.breakdown,
    reasons: reasons ?? { positive: [], negative: [] },
  };
}

/** The version asked for (any that can score), else the active model, else the default rules. */
async function scoringModel(
  db: Kysely<DB>,
  organizationId: string,
  modelId: string | undefined,
): Promise<{ id: string | null; model: ScoringModel }> {
  if (modelId === undefined) {
    const active = await repository.findActiveModel(db, organizationId);
    return active
      ? { id: active.id, model: loadStored(active) }
      : { id: null, model: DEFAULT_SCORING_MODEL };
  }
  const row = await requireModel(db, organizationId, modelId);
  checkCanScore(row);
  return { id: row.id, model: loadStored(row) };
}

/** A stored lead of the organisation and the activities it has done, plus those given. */
async function storedLead(
  db: Kysely<DB>,
  organizationId: string,
  leadId: string,
  given: readonly LeadActivity[],
) {
  const row = await repository.findLeadProfile(db, organizationId, leadId);
  if (!row) throw new AppError(HttpErrors.NOT_FOUND, 'No lead has this id in your organisation');
  const stored = groupActivities(await repository.findActivities(db, organizationId, [leadId]));
  return { profile: toProfile(row), activities: [...(stored.get(leadId) ?? []), ...given] };
}

/** The engine's view of a lead given in the request, as `toProfile` reads a stored one. */
function adHocProfile(lead: NonNullable<ScoreLeadInput['lead']>): LeadProfile {
  return {
    email: lead.email ?? null,
    jobTitle: lead.jobTitle ?? null,
    company: lead.company ?? null,
    country: lead.country?.toUpperCase() ?? null,
    industry: lead.industry ?? null,
    companySize: lead.companySize ?? null,
    source: lead.source ?? null,
    customAttributes: lead.attributes ?? null,
  };
}
