import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { LightMyRequestResponse } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/connection.js';
import type { App } from '../../http/app.js';
import type { JobQueue } from '../../jobs/index.js';
import { createExportStorage, createFileStorage } from '../../storage/index.js';
import { type FakeS3, startFakeS3 } from '../../storage/s3-test-support.js';
import { buildAppOver, createTestJobQueue, TEST_SIGNING_KEY, testConfig } from '../../test/app.js';
import { describeEachEngine, type TestEngine } from '../../test/databases.js';
import { createTestOrganization, createTestUser } from '../../test/factories.js';
import { createTokenSigner } from '../auth/index.js';
import { EXPORT_COLUMNS } from './export-formats.js';
import { exportJobHandlers, runExport } from './exports.jobs.js';
import * as repository from './exports.repository.js';

type Api = (
  url: string,
  options?: { method?: 'GET' | 'POST'; payload?: object },
) => Promise<LightMyRequestResponse>;
type ExportJson = { id: string; status: string; rows: number; bytes: number | null } & Record<
  string,
  unknown
>;

const signer = createTokenSigner({ key: TEST_SIGNING_KEY, issuer: testConfig().publicUrl });
/** Small pages, so that every export here reads several and crosses page boundaries. */
const PAGE_SIZE = 2;
const LAST_RUN = { jobId: 'test', retryCount: 2, retryLimit: 2 };
const S3 = {
  bucket: 'exports-test',
  region: 'eu-central-1',
  accessKeyId: 'AKIDJOBTEST',
  secretAccessKey: 'job-test-secret',
};

/**
 * An app whose export jobs run on a queue of its own (a pg-boss schema no other test file
 * uses, so it only ever carries this file's export jobs) and write where `env` says.
 */
async function startApp(database: Database, env: Record<string, string>) {
  const config = testConfig(env);
  const jobs = createTestJobQueue(database, {
    logger: pino({ level: process.env.DEBUG_EXPORTS ? 'error' : 'silent' }),
    schedules: false,
  });
  const app = await buildAppOver(database, { config, jobs });
  const storage = createExportStorage(config);
  await jobs.work(
    exportJobHandlers({ db: database.db, engine: database.engine, storage, pageSize: PAGE_SIZE }),
  );
  return { app, jobs, storage };
}

describeEachEngine('background exports', (engine: TestEngine) => {
  let database: Database;
  let dataDir: string;
  let app: App;
  let jobs: JobQueue;
  let orgA: string;
  let orgB: string;
  let managerA: Api;
  let managerB: Api;
  const leadIds: string[] = [];
  let modelId: string;

  function apiOf(target: () => App, token: string): Api {
    return (url, options = {}) =>
      target().inject({
        method: options.method ?? 'GET',
        url,
        headers: { authorization: `Bearer ${token}` },
        ...(options.payload && { payload: options.payload }),
      });
  }
  async function managerOf(organizationId: string, target: () => App = () => app) {
    const user = await createTestUser(database.db, organizationId, 'manager');
    return apiOf(target, await signer.issue({ userId: user.id, organizationId }));
  }

  beforeAll(async () => {
    database = await engine.open();
    dataDir = await mkdtemp(path.join(tmpdir(), 'leadscore-export-jobs-'));
    ({ app, jobs } = await startApp(database, { DATA_DIR: dataDir }));
    ({ organizationId: orgA } = await createTestOrganization(database.db));
    ({ organizationId: orgB } = await createTestOrganization(database.db));
    managerA = await managerOf(orgA);
    managerB = await managerOf(orgB);
    const db = database.db;
    for (let i = 0; i < 5; i++) {
      const { id } = await db
        .insertInto('leads')
        .values({
          organization_id: orgA,
          email: `lead-${i}@a.example`,
          status: i % 2 === 0 ? 'new' : 'qualified',
          custom_attributes: JSON.stringify({ i }),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      leadIds.push(id);
    }
    await db.insertInto('leads').values({ organization_id: orgB, email: 'b@b.example' }).execute();
    // Three activities share a timestamp, so that pages of two split them.
    const at = (iso: string) => new Date(iso);
    const activities = [
      [0, 'email_open', '2025-01-01T10:00:00.000Z', true],
      [1, 'page_view', '2025-01-02T10:00:00.000Z', false],
      [2, 'page_view', '2025-01-02T10:00:00.000Z', true],
      [3, 'demo_request', '2025-01-02T10:00:00.000Z', false],
      [4, 'email_open', '2025-01-03T10:00:00.000Z', false],
    ] as const;
    for (const [lead, type, timestamp, processed] of activities) {
      await db
        .insertInto('lead_activities')
        .values({
          organization_id: orgA,
          lead_id: leadIds[lead] as string,
          activity_type: type,
          activity_data: JSON.stringify({ url: `/p/${lead}`, 'quote"d': 'a,b' }),
          timestamp: at(timestamp),
          processed,
        })
        .execute();
    }
    ({ id: modelId } = await db
      .insertInto('scoring_models')
      .values({
        organization_id: orgA,
        name: 'Export test',
        model_type: 'composite',
        config: JSON.stringify({ algorithm: 'rules' }),
      })
      .returning('id')
      .executeTakeFirstOrThrow());
    for (const [lead, score, model, calculatedAt] of [
      [0, 40, null, '2025-02-01T00:00:00.000Z'],
      [1, 55, modelId, '2025-02-02T00:00:00.000Z'],
      [2, 70, modelId, '2025-02-02T00:00:00.000Z'],
      [3, 85, modelId, '2025-02-02T00:00:00.000Z'],
    ] as const) {
      await db
        .insertInto('lead_scores')
        .values({
          organization_id: orgA,
          lead_id: leadIds[lead] as string,
          model_id: model,
          score,
          score_breakdown: JSON.stringify({ behavioral: score / 2, grade: 'B2' }),
          confidence: 0.75,
          calculated_at: at(calculatedAt),
          cause: 'rescore',
        })
        .execute();
    }
  });
  afterAll(async () => {
    await app?.close();
    await jobs?.stop();
    await database?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function requestExport(api: Api, body: object): Promise<ExportJson> {
    const response = await api('/exports', { method: 'POST', payload: body });
    expect(response.statusCode, response.body).toBe(202);
    const created = response.json() as ExportJson;
    expect(response.headers.location).toBe(`/exports/${created.id}`);
    return created;
  }

  async function finished(api: Api, id: string): Promise<ExportJson> {
    for (let waited = 0; waited < 30_000; waited += 100) {
      const current = (await api(`/exports/${id}`)).json() as ExportJson;
      if (current.status === 'succeeded' || current.status === 'failed') return current;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`export ${id} did not finish`);
  }

  async function exported(api: Api, body: object) {
    const queued = await requestExport(api, body);
    const done = await finished(api, queued.id);
    expect(done.status, String(done.error)).toBe('succeeded');
    const download = await api(`/exports/${queued.id}/download`);
    expect(download.statusCode).toBe(200);
    return { queued, done, download };
  }

  describe('leads', () => {
    it.each(['csv', 'ndjson'] as const)(
      'writes a %s file in a job that downloads identical to the streamed export',
      async (format) => {
        const { queued, done, download } = await exported(managerA, {
          kind: 'leads',
          format,
          filters: { status: ['new', 'qualified'], minScore: undefined },
        });
        expect(queued).toMatchObject({
          kind: 'leads',
          format,
          status: 'queued',
          rows: 0,
          downloadUrl: null,
          filters: { status: ['new', 'qualified'] },
        });
        expect(done).toMatchObject({ rows: 5, downloadUrl: `/exports/${queued.id}/download` });
        const streamed = await managerA(
          `/exports/leads?format=${format}&status=new&status=qualified`,
        );
        expect(download.body).toBe(streamed.body);
        expect(done.bytes).toBe(Buffer.byteLength(download.body));
        expect(download.headers['content-length']).toBe(String(done.bytes));
        expect(download.headers['content-type']).toBe(streamed.headers['content-type']);
        expect(download.headers['content-disposition']).toBe(
          `attachment; filename="leads-${queued.id}.${format}"`,
        );
        // Written under the data dir, complete, with no part left beside it.
        expect(await readdir(path.join(dataDir, 'exports', orgA))).toContain(
          `${queued.id}.${format}`,
        );
      },
    );

    it('applies the filters', async () => {
      const { done, download } = await exported(managerA, {
        kind: 'leads',
        format: 'ndjson',
        filters: { status: ['qualified'] },
      });
      const rows = download.body
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line));
      expect(done.rows).toBe(2);
      expect(rows.map((row) => row.email).sort()).toEqual(['lead-1@a.example', 'lead-3@a.example']);
    });
  });

  it('exports activities oldest first, each with its lead’s email, across page boundaries', async () => {
    const { download, done } = await exported(managerA, { kind: 'activities', format: 'csv' });
    const rows = parse(download.body, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0] ?? {})).toEqual(EXPORT_COLUMNS.activities);
    expect(done.rows).toBe(5);
    const stored = await database.db
      .selectFrom('lead_activities')
      .innerJoin('leads', 'leads.id', 'lead_activities.lead_id')
      .select([
        'lead_activities.id',
        'lead_id',
        'email',
        'activity_type',
        'timestamp',
        'activity_data',
        'processed',
        'received_at',
      ])
      .where('lead_activities.organization_id', '=', orgA)
      .orderBy('timestamp')
      .orderBy('lead_activities.id')
      .execute();
    expect(rows.map((row) => ({ ...row, data: JSON.parse(row.data ?? '') }))).toEqual(
      stored.map((a) => ({
        id: a.id,
        leadId: a.lead_id,
        leadEmail: a.email,
        type: a.activity_type,
        timestamp: a.timestamp.toISOString(),
        data: a.activity_data,
        processed: String(a.processed),
        receivedAt: a.received_at.toISOString(),
      })),
    );

    const filtered = await exported(managerA, {
      kind: 'activities',
      format: 'ndjson',
      filters: { types: ['page_view', 'email_open'], from: '2025-01-02T00:00:00Z' },
    });
    const lines = filtered.download.body
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((a) => [a.type, a.leadEmail])).toEqual(
      expect.arrayContaining([
        ['page_view', 'lead-1@a.example'],
        ['page_view', 'lead-2@a.example'],
        ['email_open', 'lead-4@a.example'],
      ]),
    );
    expect(lines).toHaveLength(3);
    expect(Object.keys(lines[0])).toEqual(EXPORT_COLUMNS.activities);
  });

  it('exports scores oldest first, and those of one model when asked', async () => {
    const all = await exported(managerA, { kind: 'scores', format: 'ndjson' });
    const rows = all.download.body
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(Object.keys(rows[0])).toEqual(EXPORT_COLUMNS.scores);
    const stored = await database.db
      .selectFrom('lead_scores')
      .select('score')
      .where('organization_id', '=', orgA)
      .orderBy('calculated_at')
      .orderBy('id')
      .execute();
    expect(rows.map((row) => row.score)).toEqual(stored.map((row) => row.score));
    expect(rows.map((row) => row.score).sort()).toEqual([40, 55, 70, 85]);
    expect(rows[0]).toEqual({
      leadId: leadIds[0],
      score: 40,
      breakdown: { behavioral: 20, grade: 'B2' },
      confidence: 0.75,
      modelId: null,
      cause: 'rescore',
      activityId: null,
      calculatedAt: '2025-02-01T00:00:00.000Z',
    });
    const ofModel = await exported(managerA, {
      kind: 'scores',
      format: 'csv',
      filters: { modelId },
    });
    const csv = parse(ofModel.download.body, { columns: true }) as Record<string, string>[];
    expect(csv.map((row) => row.score).sort()).toEqual(['55', '70', '85']);
    expect(csv[0]).toMatchObject({ modelId, confidence: '0.75', activityId: '', cause: 'rescore' });
  });

  describe('the API around them', () => {
    it('lists the organisation’s exports newest first, a page at a time', async () => {
      const api = await managerOf(orgB);
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) ids.push((await requestExport(api, { kind: 'leads' })).id);
      const first = await api('/exports?limit=2');
      expect(first.statusCode).toBe(200);
      const page = first.json() as { data: ExportJson[]; nextCursor: string };
      const second = (await api(`/exports?limit=2&cursor=${page.nextCursor}`)).json() as {
        data: ExportJson[];
        nextCursor: string | null;
      };
      expect([...page.data, ...second.data].map((e) => e.id)).toEqual([...ids].reverse());
      expect(second.nextCursor).toBeNull();
      const ofA = (await managerA('/exports?limit=200')).json().data as ExportJson[];
      expect(ofA.some((e) => ids.includes(e.id))).toBe(false);
    });

    it("answers 404 for another organisation's export, its status and its file", async () => {
      const { queued } = await exported(managerA, { kind: 'leads', format: 'csv' });
      for (const url of [`/exports/${queued.id}`, `/exports/${queued.id}/download`]) {
        const response = await managerB(url);
        expect(response.statusCode, url).toBe(404);
        expect(response.json().code).toBe('EXPORTS_NOT_FOUND');
      }
    });

    it('answers 409 while the export has no file', async () => {
      const row = await repository.insertExport(database.db, {
        organizationId: orgA,
        kind: 'leads',
        format: 'csv',
        filters: {},
        requestedBy: null,
        createdAt: new Date(),
      });
      const response = await managerA(`/exports/${row.id}/download`);
      expect(response.statusCode).toBe(409);
      expect(response.json()).toMatchObject({ code: 'EXPORTS_NOT_READY', exportStatus: 'queued' });
    });

    it('answers 410 when the file was removed from the storage', async () => {
      const { queued } = await exported(managerA, { kind: 'scores', format: 'csv' });
      await rm(path.join(dataDir, 'exports', orgA, `${queued.id}.csv`));
      const response = await managerA(`/exports/${queued.id}/download`);
      expect(response.statusCode).toBe(410);
      expect(response.json().code).toBe('EXPORTS_FILE_GONE');
    });

    it('refuses filters that do not apply to the kind, naming them', async () => {
      const response = await managerA('/exports', {
        method: 'POST',
        payload: { kind: 'leads', filters: { status: ['new'], types: ['x'], modelId: modelId } },
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().errors).toEqual([
        { in: 'body', field: 'filters.types', message: 'does not apply to leads exports' },
        { in: 'body', field: 'filters.modelId', message: 'does not apply to leads exports' },
      ]);
      for (const [payload, field] of [
        [{ format: 'csv' }, 'kind'],
        [{ kind: 'deals' }, 'kind'],
        [{ kind: 'leads', format: 'xlsx' }, 'format'],
        [{ kind: 'scores', filters: { modelId: 'nope' } }, 'filters.modelId'],
        [{ kind: 'leads', filters: { colour: 'red' } }, 'filters.colour'],
      ] as const) {
        const bad = await managerA('/exports', { method: 'POST', payload });
        expect(bad.statusCode, JSON.stringify(payload)).toBe(400);
        expect(bad.json().errors).toContainEqual(expect.objectContaining({ field }));
      }
    });

    it('records the request and each download in the audit trail', async () => {
      const { queued } = await exported(managerA, { kind: 'leads', format: 'csv' });
      const actions = await database.db
        .selectFrom('audit_log')
        .select(['action', 'details'])
        .where('organization_id', '=', orgA)
        .where('target_id', '=', queued.id)
        .orderBy('id')
        .execute();
      expect(actions).toEqual([
        { action: 'export.requested', details: { kind: 'leads', format: 'csv', filters: {} } },
        { action: 'export.downloaded', details: {} },
      ]);
    });
  });

  describe('runs', () => {
    async function queuedExport() {
      return repository.insertExport(database.db, {
        organizationId: orgA,
        kind: 'leads',
        format: 'csv',
        filters: {},
        requestedBy: null,
        createdAt: new Date(),
      });
    }

    it('starts the file again when retried after a crash, so each row is in it once', async () => {
      const row = await queuedExport();
      const storage = createFileStorage(path.join(dataDir, 'exports'));
      // As a run killed midway leaves it: running, some rows counted, a part on disk.
      await repository.updateExport(database.db, orgA, row.id, { status: 'running', row_count: 3 });
      await writeFile(
        path.join(dataDir, 'exports', orgA, `${row.id}.csv.deadbeef0000.partial`),
        'id,em',
      );
      await runExport(
        { db: database.db, engine: database.engine, storage, pageSize: PAGE_SIZE },
        { organizationId: orgA, exportId: row.id },
        { ...LAST_RUN, retryCount: 1 },
      );
      const done = await repository.findExport(database.db, orgA, row.id);
      expect(done).toMatchObject({ status: 'succeeded', row_count: 5, error: null });
      const body = (await managerA(`/exports/${row.id}/download`)).body;
      const ids = (parse(body, { columns: true }) as { id: string }[]).map((r) => r.id);
      expect(ids.sort()).toEqual([...leadIds].sort());
      expect(
        (await readdir(path.join(dataDir, 'exports', orgA))).filter((f) => f.startsWith(row.id)),
      ).toEqual([`${row.id}.csv`]);
    });

    it('keeps the export running when a run fails with retries left, and marks it failed after the last', async () => {
      const row = await queuedExport();
      // A data dir whose exports folder is a file: every write fails.
      const blocked = path.join(dataDir, 'not-a-directory');
      await writeFile(blocked, '');
      const storage = createFileStorage(blocked);
      const payload = { organizationId: orgA, exportId: row.id };
      await expect(
        runExport({ db: database.db, engine: database.engine, storage }, payload, {
          ...LAST_RUN,
          retryCount: 0,
        }),
      ).rejects.toThrow();
      expect(await repository.findExport(database.db, orgA, row.id)).toMatchObject({
        status: 'running',
      });
      await expect(
        runExport({ db: database.db, engine: database.engine, storage }, payload, LAST_RUN),
      ).rejects.toThrow();
      const failed = (await managerA(`/exports/${row.id}`)).json();
      expect(failed).toMatchObject({ status: 'failed', downloadUrl: null });
      expect(failed.error).toMatch(/^The export failed: Error: ENOTDIR/);
      const download = await managerA(`/exports/${row.id}/download`);
      expect(download.statusCode).toBe(409);
      expect(download.json()).toMatchObject({
        code: 'EXPORTS_NOT_READY',
        exportStatus: 'failed',
        detail: failed.error,
      });
      // A late run of the same job (a duplicate delivery) changes nothing.
      await runExport({ db: database.db, engine: database.engine, storage }, payload, LAST_RUN);
      expect(await repository.findExport(database.db, orgA, row.id)).toMatchObject({
        status: 'failed',
      });
    });
  });

  describe('to S3-compatible storage', () => {
    let fake: FakeS3;
    let s3App: Awaited<ReturnType<typeof startApp>>;
    let managerS3: Api;
    beforeAll(async () => {
      fake = await startFakeS3(S3);
      s3App = await startApp(database, {
        DATA_DIR: dataDir,
        EXPORT_S3_BUCKET: S3.bucket,
        EXPORT_S3_ENDPOINT: fake.url,
        EXPORT_S3_REGION: S3.region,
        EXPORT_S3_ACCESS_KEY_ID: S3.accessKeyId,
        EXPORT_S3_SECRET_ACCESS_KEY: S3.secretAccessKey,
      });
      managerS3 = await managerOf(orgA, () => s3App.app);
    });
    afterAll(async () => {
      await s3App?.app.close();
      await s3App?.jobs.stop();
      await fake?.close();
    });

    it('writes the file to the bucket and downloads it from there, identical to the streamed export', async () => {
      const { queued, done, download } = await exported(managerS3, {
        kind: 'leads',
        format: 'ndjson',
      });
      const key = `${S3.bucket}/exports/${orgA}/${queued.id}.ndjson`;
      expect(fake.objects.get(key)?.body.toString('utf8')).toBe(download.body);
      expect(fake.objects.get(key)?.contentType).toBe('application/x-ndjson; charset=utf-8');
      expect(done.bytes).toBe(Buffer.byteLength(download.body));
      expect(download.body).toBe((await managerS3('/exports/leads?format=ndjson')).body);
      // The app writing to the data dir does not find it there: gone, not someone else's file.
      const elsewhere = await managerA(`/exports/${queued.id}/download`);
      expect(elsewhere.statusCode).toBe(410);
    });
  });
});
