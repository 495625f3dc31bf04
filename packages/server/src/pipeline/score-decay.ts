import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { RecordAlerts, ScoreBatchResult } from './activity-scorer.js';
import { rescoreBatch } from './lead-rescorer.js';
import { ModelLoadError } from './lead-scoring.js';
import {
  lockSweepCursor,
  nextOrganizationWithStates,
  type SweepCursor,
  saveSweepCursor,
} from './score-decay.repository.js';

export interface ScoreDecayDeps {
  readonly db: Kysely<DB>;
  readonly now?: () => Date;
  /** Alert rules checked in each batch's transaction (a lead that cools may cross a line). */
  readonly recordAlerts?: RecordAlerts | undefined;
  /** What follows each committed batch that wrote scores (cache, events). */
  readonly onScored?: (result: ScoreBatchResult) => Promise<void>;
}

export interface ScoreDecayOptions {
  /** A lead scored for an activity less than this long ago is left for a later run. */
  readonly quietMinutes: number;
  /** Leads one run looks at, at most: the bound on a run's cost, whatever the installation. */
  readonly maxLeads: number;
  /** Leads per transaction. */
  readonly batchSize: number;
}

export const DEFAULT_DECAY_OPTIONS: ScoreDecayOptions = {
  quietMinutes: 15,
  maxLeads: 20_000,
  batchSize: 500,
};

export interface ScoreDecayResult {
  /** Leads looked at. */
  readonly examined: number;
  /** Leads whose score moved, with a new score. */
  readonly rescored: number;
  /** Organisations passed over because their active model cannot score. */
  readonly brokenModels: number;
  /** The sweep reached the last organisation; the next run starts again from the first. */
  readonly wrapped: boolean;
}

const MINUTE_MS = 60_000;

/**
 * Time decay: engagement fades without new events, so a lead that goes quiet must cool down.
 * Sweeps the leads with a feature state, organisation by organisation and lead by lead (a
 * keyset on ids, a batch per transaction), recomputes each quiet lead's score as of now and
 * writes a new score only where it moved by a point or more; the others cost a read and
 * nothing else. A run stops after `maxLeads` leads or at the end of a full pass, and the
 * cursor, saved with each batch, tells the next run where to go on, so every lead is reached
 * in turn however large the installation.
 */
export async function decayScores(
  deps: ScoreDecayDeps,
  options: ScoreDecayOptions = DEFAULT_DECAY_OPTIONS,
): Promise<ScoreDecayResult> {
  const clock = deps.now ?? (() => new Date());
  let examined = 0;
  // An empty page still costs a query: it counts as one lead, so a run over many small
  // organisations ends too.
  let spent = 0;
  let rescored = 0;
  let brokenModels = 0;
  let wrapped = false;
  while (spent < options.maxLeads && !wrapped) {
    const now = clock();
    const quietSince = new Date(now.getTime() - options.quietMinutes * MINUTE_MS);
    const limit = Math.min(options.batchSize, options.maxLeads - spent);
    const batch = await deps.db.transaction().execute(async (trx) => {
      const cursor = await lockSweepCursor(trx);
      const organizationId = cursor.organizationId ?? (await nextOrganizationWithStates(trx, null));
      if (organizationId === null) return null;
      const passOver = async (): Promise<SweepCursor> => ({
        organizationId: await nextOrganizationWithStates(trx, organizationId),
        afterLeadId: null,
      });
      let result: Awaited<ReturnType<typeof rescoreBatch>> | null = null;
      let next: SweepCursor;
      try {
        result = await rescoreBatch(
          trx,
          { organizationId, afterLeadId: cursor.afterLeadId, limit, leads: 'quiet', quietSince },
          now,
          deps.recordAlerts,
        );
        next =
          result.nextAfterLeadId === null
            ? await passOver()
            : { organizationId, afterLeadId: result.nextAfterLeadId };
      } catch (error) {
        // Thrown before anything is written: the organisation is passed over, the sweep goes on.
        if (!(error instanceof ModelLoadError)) throw error;
        next = await passOver();
      }
      await saveSweepCursor(trx, next, now);
      return { result, wrapped: next.organizationId === null };
    });
    if (batch === null) break;
    if (batch.result === null) brokenModels++;
    wrapped = batch.wrapped;
    examined += batch.result?.examined ?? 0;
    spent += Math.max(batch.result?.examined ?? 0, 1);
    const scored = batch.result?.scored;
    if (scored && scored.scoredLeads.length > 0) {
      rescored += scored.scoredLeads.length;
      await deps.onScored?.(scored);
    }
  }
  return { examined, rescored, brokenModels, wrapped };
}
