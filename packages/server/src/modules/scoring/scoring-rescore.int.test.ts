import { defaultRulesModel } from '@leadscore/engine';
import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import type { Database } from '../../db/connection.js';
import {
  createInProcessEventBus,
  type DomainEventName,
  type DomainEvents,
} from '../../events/event-bus.js';
import type { App } from '../../http/app.js';
import type { JobQueue } from '../../jobs/index.js';
import {
  drain,
  type IsolatedDatabase,
  insertActivities,
  insertLead,
  openIsolatedDatabase,
} from '../../pipeline/pipeline-test-support.js';
import { createScoredBatchHandler } from '../../realtime/index.js';
import { buildAppOver, createTestJobQueue, signIn } from '../../test/app.js';
import { createEmptyPostgresDatabase, describeEachEngine } from '../../test/databases.js';
import { createTestOrganization } from '../../test/factories.js';
import { scoringJobHandlers } from './index.js';
import { insertModel } from './scoring.repository.js';
import * as repository from './scoring-rescore.repository.js';
import { runRescore } from './scoring-rescore.service.js';

const DAY_MS = 86_400_000;
const BATCH = 3;
const LEADS = 7;
const JOB = { jobId: 'test', retryCount: 0, retryLimit: 5 };

describeEachEngine('bulk rescoring', (engine) => {
  let iso: IsolatedDatabase<typeof engine>;
  let database: Database;
  let app: App;
  let jobs: JobQueue;
  const heard: { organizationId: string; event: DomainEventName; payload: unknown }[] = [];
  let ours: { organizationId: string; leads: string[]; token: string };
  let theirs: { organizationId: string; leads: string[]; token: string };

  beforeAll(async () => {
    // Scoring drains the whole outbox: a database of this suite's own.
    iso = await openIsolatedDatabase({
      engine,
      pgliteSnapshot: inject('pgliteSnapshot'),
      createEmptyPostgresDatabase,
    });
    database = iso.database;
    const logger = pino({ level: 'silent' });
    const events = createInProcessEventBus((error) => {
      throw error;
    });
    events.subscribe((organizationId, event, payload) =>
      heard.push({ organizationId, event, payload }),
    );
    jobs = createTestJobQueue(database, { logger, schedules: false });
    app = await buildAppOver(database, { jobs });
    await jobs.work({
      ...scoringJobHandlers({
        db: database.db,
        events,
        onScored: createScoredBatchHandler({ db: database.db, events, logger }),
        batchSize: BATCH,
      }),
    });
    ours = await organization(LEADS);
    theirs = await organization(3);
    await drain(database.db, { batchSize: 100 });
  });
  afterAll(async () => {
    await app?.close();
    await jobs?.stop();
    await iso?.close();
  });

  /** An organisation, its leads (all but the last with activities) and an admin's token. */
  async function organization(leads: number) {
    const { organizationId } = await createTestOrganization(database.db);
    const ids: string[] = [];
    for (let i = 0; i < leads; i++) {
      const leadId = await insertLead(database.db, organizationId, { company_size: 10 + i * 40 });
      if (i < leads - 1) {
        await insertActivities(database.db, organizationId, leadId, [
          { type: 'pricing_view', timestamp: Date.now() - (i + 1) * DAY_MS },
          { type: 'email_open', timestamp: Date.now() - (i + 2) * DAY_MS },
        ]);
      }
      ids.push(leadId);
    }
    const token = await signIn({ app, database }, organizationId, 'admin');
    return { organizationId, leads: ids, token };
  }

  function call(token: string, method: 'GET' | 'PUT' | 'POST', url: string) {
    return app.inject({ method, url, headers: { authorization: `Bearer ${token}` } });
  }

  /** A rules model that weighs fit differently from the default, ready to activate. */
  async function rulesModel(organizationId: string) {
    const rules = defaultRulesModel();
    return insertModel(database.db, {
      organizationId,
      name: 'Fit counts double',
      modelType: 'composite',
      config: { algorithm: 'rules', rules: { ...rules, weights: { fit: 0.8, engagement: 0.2 } } },
      status: 'ready',
      createdBy: null,
    });
  }

  function progressOf(rescoreId: string) {
    return heard
      .filter((e) => e.event === 'rescore_progress')
      .map((e) => e.payload as DomainEvents['rescore_progress'])
      .filter((p) => p.rescoreId === rescoreId);
  }

  async function finished(rescoreId: string): Promise<DomainEvents['rescore_progress']> {
    for (let waited = 0; waited < 30_000; waited += 100) {
      const last = progressOf(rescoreId).at(-1);
      if (last && last.status !== 'queued' && last.status !== 'running') return last;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`rescore ${rescoreId} did not finish`);
  }

  const scoreRows = (leadIds: readonly string[], modelId: string) =>
    database.db
      .selectFrom('lead_scores')
      .select(['lead_id', 'organization_id', 'score', 'calculated_at'])
      .where('lead_id', 'in', leadIds)
      .where('model_id', '=', modelId)
      .execute();

  it("rescores every lead of the organisation on activation, and no other organisation's", async () => {
    const model = await rulesModel(ours.organizationId);
    const activated = await call(ours.token, 'PUT', `/scoring/models/${model.id}/activate`);
    expect(activated.statusCode, activated.body).toBe(200);
    const { rescore } = activated.json();
    expect(rescore).toMatchObject({ modelId: model.id, reason: 'activation', status: 'queued' });

    expect(await finished(rescore.id)).toEqual({
      rescoreId: rescore.id,
      modelId: model.id,
      status: 'succeeded',
      total: LEADS,
      done: LEADS,
      failed: 0,
    });
    // One event per batch of 3 (running, running, then succeeded).
    expect(progressOf(rescore.id).map((p) => [p.status, p.done])).toEqual([
      ['running', 3],
      ['running', 6],
      ['succeeded', 7],
    ]);

    // Every lead once, the lead without activities too (from its profile), and the lead's
    // current score is the new one.
    const rows = await scoreRows(ours.leads, model.id);
    expect(rows.map((r) => r.lead_id).sort()).toEqual([...ours.leads].sort());
    for (const row of rows) {
      const lead = await database.db
        .selectFrom('leads')
        .select('current_score')
        .where('id', '=', row.lead_id)
        .executeTakeFirstOrThrow();
      expect(lead.current_score).toBe(row.score);
    }
    const updates = heard.filter(
      (e) =>
        e.event === 'lead_score_updated' &&
        (e.payload as DomainEvents['lead_score_updated']).modelId === model.id,
    );
    expect(updates).toHaveLength(LEADS);
    expect(updates.every((e) => e.organizationId === ours.organizationId)).toBe(true);
    // Tenancy: the other organisation's leads were not touched, nor told of anything.
    expect(await scoreRows(theirs.leads, model.id)).toEqual([]);
    expect(heard.some((e) => e.organizationId === theirs.organizationId)).toBe(false);

    const read = await call(ours.token, 'GET', `/scoring/rescores/${rescore.id}`);
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json()).toMatchObject({ status: 'succeeded', total: LEADS, done: LEADS });
    expect(read.json().finishedAt).not.toBeNull();
    const foreign = await call(theirs.token, 'GET', `/scoring/rescores/${rescore.id}`);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.headers['content-type']).toMatch(/application\/problem\+json/);

    // Activating the active version again queues nothing new.
    const again = await call(ours.token, 'PUT', `/scoring/models/${model.id}/activate`);
    expect(again.json().rescore.id).toBe(rescore.id);

    // A rollback rescores with the default rules (model null) in the same way.
    const rolledBack = await call(ours.token, 'POST', `/scoring/models/${model.id}/rollback`);
    expect(rolledBack.statusCode, rolledBack.body).toBe(200);
    expect(rolledBack.json().rescore).toMatchObject({ modelId: null, reason: 'rollback' });
    expect(await finished(rolledBack.json().rescore.id)).toMatchObject({
      status: 'succeeded',
      done: LEADS,
    });
  });

  it('resumes a rescore that died after some batches: every lead rescored once, progress right', async () => {
    const model = await rulesModel(ours.organizationId);
    await call(ours.token, 'PUT', `/scoring/models/${model.id}/activate`);
    await finished(
      (await repository.findLatestRescore(database.db, ours.organizationId, model.id))?.id ?? '',
    );
    const at = new Date(Date.now() + 60_000);
    const row = await repository.insertRescore(database.db, {
      organizationId: ours.organizationId,
      modelId: model.id,
      reason: 'activation',
      at,
    });
    // The crash: the second batch's transaction fails as it records its progress.
    await sql`
      create function crash_rescore() returns trigger language plpgsql as $$
      begin
        if new.done > ${sql.lit(BATCH)} then raise exception 'simulated crash'; end if;
        return new;
      end $$`.execute(database.db);
    await sql`
      create trigger crash_rescore before update on lead_rescores for each row
      when (new.id = ${sql.lit(row.id)}::uuid) execute function crash_rescore()`.execute(
      database.db,
    );
    const deps = { db: database.db, events: createInProcessEventBus(() => {}), batchSize: BATCH };
    const payload = { organizationId: ours.organizationId, rescoreId: row.id };
    await expect(runRescore({ ...deps, now: () => at }, payload, JOB)).rejects.toThrow(
      /simulated crash/,
    );
    const halfway = await repository.findRescore(database.db, ours.organizationId, row.id);
    expect(halfway).toMatchObject({ status: 'running', total: LEADS, done: BATCH });
    const rescoredAt = async () =>
      (await scoreRows(ours.leads, model.id)).filter(
        (r) => r.calculated_at.getTime() >= at.getTime(),
      );
    expect(await rescoredAt()).toHaveLength(BATCH);

    await sql`drop trigger crash_rescore on lead_rescores`.execute(database.db);
    await sql`drop function crash_rescore()`.execute(database.db);
    const later = new Date(at.getTime() + 1000);
    await runRescore({ ...deps, now: () => later }, payload, { ...JOB, retryCount: 1 });

    const done = await repository.findRescore(database.db, ours.organizationId, row.id);
    expect(done).toMatchObject({ status: 'succeeded', total: LEADS, done: LEADS, failed: 0 });
    const rows = await rescoredAt();
    expect(rows.map((r) => r.lead_id).sort()).toEqual([...ours.leads].sort());
  });

  it('stops a rescore that a newer activation supersedes', async () => {
    const model = await rulesModel(ours.organizationId);
    const row = await repository.insertRescore(database.db, {
      organizationId: ours.organizationId,
      modelId: model.id,
      reason: 'activation',
      at: new Date(),
    });
    const events = createInProcessEventBus(() => {});
    const statuses: string[] = [];
    events.subscribe((_org, event, payload) => {
      if (event === 'rescore_progress') statuses.push((payload as { status: string }).status);
    });
    let batches = 0;
    await runRescore(
      {
        db: database.db,
        events,
        batchSize: BATCH,
        // After the first batch, another activation takes over.
        onScored: async () => {
          if (++batches === 1) {
            await database.db
              .transaction()
              .execute((trx) => repository.supersedeInFlight(trx, ours.organizationId, new Date()));
          }
        },
      },
      { organizationId: ours.organizationId, rescoreId: row.id },
      JOB,
    );
    expect(batches).toBe(1);
    expect(statuses).toEqual(['running', 'superseded']);
    expect(await repository.findRescore(database.db, ours.organizationId, row.id)).toMatchObject({
      status: 'superseded',
      done: BATCH,
    });
  });
});
