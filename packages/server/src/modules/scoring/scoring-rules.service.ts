import { computeLeadFeatures, DEFAULT_SCORE_BAND_EDGES } from '@leadscore/engine';
import { AppError, HttpErrors } from '../../http/errors.js';
import { toProfile } from '../../pipeline/index.js';
import {
  loadScoringModel,
  type ModelScore,
  type ScoringModel,
} from '../../pipeline/scoring-model.js';
import { recordAudit } from '../audit/index.js';
import * as repository from './scoring.repository.js';
import {
  clock,
  modelInUse,
  readRules,
  rulesInUse,
  type ScoringDeps,
  toModel,
  userOf,
  type WriteContext,
} from './scoring.service.js';
import { queueRescore } from './scoring-rescore.service.js';
import type {
  Preview,
  PreviewRulesInput,
  PutRulesInput,
  Rules,
  SavedRules,
} from './scoring-rules.schemas.js';
import { groupActivities } from './scoring-training.service.js';

/** Leads a preview compares, the most recently active first: enough to see the effect, fast. */
export const PREVIEW_MAX_LEADS = 5000;
const PREVIEW_CHUNK = 500;
const LARGEST_CHANGES = 10;

export async function getRules(
  deps: Pick<ScoringDeps, 'db'>,
  organizationId: string,
): Promise<Rules> {
  const { row, rules } = await rulesInUse(deps.db, organizationId);
  const active = row
    ? row.is_active
    : (await repository.findActiveModel(deps.db, organizationId)) === undefined;
  return { model: row && toModel(row), active, rules };
}

/**
 * Saves edited rules as a new version derived from the rules in use and activates it at once
 * (the model it replaces is kept for a rollback), queueing the rescore of every lead with them
 * as an activation does. Rules are written by people, so there is no deployment gate: a new
 * organisation has no history to measure them on.
 */
export async function putRules(
  deps: Pick<ScoringDeps, 'db' | 'now' | 'jobs'>,
  context: WriteContext,
  input: PutRulesInput,
): Promise<SavedRules> {
  const { organizationId } = context;
  const rules = readRules(input.rules);
  // On PGlite the transaction below holds the only connection, which starting the queue needs.
  await deps.jobs.start();
  return deps.db.transaction().execute(async (trx) => {
    await repository.lockRegistry(trx, organizationId);
    const parent = (await rulesInUse(trx, organizationId)).row;
    const previous = await repository.findActiveModel(trx, organizationId);
    const now = clock(deps)();
    const inserted = await repository.insertModel(trx, {
      organizationId,
      name: input.name ?? 'Scoring rules',
      modelType: 'composite',
      config: { algorithm: 'rules', rules },
      status: 'ready',
      createdBy: userOf(context),
      parentId: parent?.id ?? null,
    });
    if (previous) await repository.retireModel(trx, organizationId, previous.id, now);
    const activated = await repository.activateModel(trx, organizationId, inserted.id, {
      at: now,
      by: userOf(context),
      previousModelId: previous?.id ?? null,
    });
    await recordAudit(trx, {
      ...context,
      action: 'scoring_rules.updated',
      targetType: 'scoring_model',
      targetId: inserted.id,
      details: {
        version: inserted.version,
        parentId: parent?.id ?? null,
        previousModelId: previous?.id ?? null,
        rules: rules.rules.length,
      },
    });
    const rescore = await queueRescore(trx, deps.jobs, {
      organizationId,
      modelId: activated.id,
      reason: 'activation',
      at: now,
    });
    return { model: toModel(activated), active: true, rules, rescore };
  });
}

/**
 * How the organisation's leads would move under the proposed rules, compared with the model
 * that scores them now, both computed as of now from each lead's stored activities. Reads the
 * most recently active leads, up to PREVIEW_MAX_LEADS. Writes nothing.
 */
export async function previewRules(
  deps: Pick<ScoringDeps, 'db' | 'now'>,
  organizationId: string,
  input: PreviewRulesInput,
): Promise<Preview> {
  const proposed = loadScoringModel({ algorithm: 'rules', rules: readRules(input.rules) });
  const edges = readEdges(input.bands);
  const current = await modelInUse(deps.db, organizationId);
  const asOf = clock(deps)();
  const { leads, total } = await repository.findRecentLeads(
    deps.db,
    organizationId,
    PREVIEW_MAX_LEADS,
  );

  const bands = edges.slice(0, -1).map((lower, k) => ({
    lower,
    upper: edges[k + 1] as number,
    current: 0,
    proposed: 0,
  }));
  const changes: Preview['largestChanges'] = [];
  let compared = 0;
  let bandChanges = 0;
  let movedUp = 0;
  let movedDown = 0;
  let gradeChanges: number | null = 0;
  let totalChange = 0;
  for (let start = 0; start < leads.length; start += PREVIEW_CHUNK) {
    const chunk = leads.slice(start, start + PREVIEW_CHUNK);
    const activities = groupActivities(
      await repository.findActivities(
        deps.db,
        organizationId,
        chunk.map((lead) => lead.id),
      ),
    );
    for (const lead of chunk) {
      const profile = toProfile(lead);
      const history = activities.get(lead.id) ?? [];
      let now: ModelScore;
      let next: ModelScore;
      try {
        now = scoreAsOf(current, profile, history, asOf);
        next = scoreAsOf(proposed, profile, history, asOf);
      } catch {
        // A history the feature code rejects is one the scorer records as failed too.
        continue;
      }
      compared++;
      const from = bandOf(edges, now.score);
      const to = bandOf(edges, next.score);
      (bands[from] as (typeof bands)[number]).current++;
      (bands[to] as (typeof bands)[number]).proposed++;
      if (from !== to) {
        bandChanges++;
        if (to > from) movedUp++;
        else movedDown++;
      }
      const currentGrade = gradeOf(now);
      const proposedGrade = gradeOf(next);
      if (currentGrade === null) gradeChanges = null;
      else if (gradeChanges !== null && currentGrade !== proposedGrade) gradeChanges++;
      totalChange += next.score - now.score;
      changes.push({
        leadId: lead.id,
        email: lead.email,
        currentScore: now.score,
        proposedScore: next.score,
        currentGrade,
        proposedGrade,
      });
    }
  }
  const largestChanges = changes
    .filter((c) => c.proposedScore !== c.currentScore)
    .sort(
      (a, b) =>
        Math.abs(b.proposedScore - b.currentScore) - Math.abs(a.proposedScore - a.currentScore) ||
        a.email.localeCompare(b.email),
    )
    .slice(0, LARGEST_CHANGES);
  return {
    leads: compared,
    totalLeads: total,
    truncated: total > leads.length,
    asOf: asOf.toISOString(),
    bandChanges,
    movedUp,
    movedDown,
    gradeChanges: compared === 0 ? 0 : gradeChanges,
    meanScoreChange: compared === 0 ? 0 : Math.round((totalChange / compared) * 100) / 100,
    bands,
    largestChanges,
  };
}

function scoreAsOf(
  model: ScoringModel,
  profile: ReturnType<typeof toProfile>,
  history: Parameters<typeof computeLeadFeatures>[1],
  asOf: Date,
): ModelScore {
  const features = computeLeadFeatures(profile, history, asOf.getTime(), model.features);
  return model.score(profile, features, { reasons: 0, explain: false });
}

function gradeOf(score: ModelScore): string | null {
  const grade = score.breakdown.grade;
  return typeof grade === 'string' ? grade : null;
}

/** Band k is [edges[k], edges[k+1]); the last one holds its upper edge too. */
function bandOf(edges: readonly number[], score: number): number {
  let band = 0;
  while (band < edges.length - 2 && score >= (edges[band + 1] as number)) band++;
  return band;
}

function readEdges(bands: readonly number[] | undefined): readonly number[] {
  if (bands === undefined) return DEFAULT_SCORE_BAND_EDGES;
  const ascending = bands.every((edge, k) => k === 0 || edge > (bands[k - 1] as number));
  if (!ascending || bands[0] !== 0 || bands.at(-1) !== 100) {
    const message = 'must rise strictly from 0 to 100';
    throw new AppError(HttpErrors.VALIDATION_FAILED, `body.bands: ${message}`, {
      errors: [{ in: 'body', field: 'bands', message }],
    });
  }
  return bands;
}
