/** What the imports tests share (modules/imports): an app with a queue of its own, uploads, the job. */
import { randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import type { Database } from '../db/connection.js';
import type { UserRole } from '../db/schema.js';
import type { App } from '../http/app.js';
import type { JobQueue } from '../jobs/index.js';
import { importJobHandlers } from '../modules/imports/imports.jobs.js';
import type { ImportRunDeps } from '../modules/imports/imports.runner.js';
import type { Import } from '../modules/imports/imports.schemas.js';
import { buildAppOver, createTestJobQueue, signIn } from './app.js';
import type { TestEngine } from './databases.js';
import { createTestOrganization } from './factories.js';

export interface ImportsTestApp {
  app: App;
  database: Database;
  jobs: JobQueue;
  close(): Promise<void>;
}

/** The app over a migrated database, sending its jobs to a queue of its own. */
export async function buildImportsTestApp(engine: TestEngine): Promise<ImportsTestApp> {
  const database = await engine.open();
  const jobs = createTestJobQueue(database, { schedules: false });
  const app = await buildAppOver(database, { jobs });
  return {
    app,
    database,
    jobs,
    async close() {
      await app.close();
      await jobs.stop();
      await database.close();
    },
  };
}

/** A fresh organisation and a token of a user with this role in it. */
export async function organizationWith(t: ImportsTestApp, role: UserRole = 'manager') {
  const { organizationId } = await createTestOrganization(t.database.db);
  return { organizationId, token: await signIn(t, organizationId, role) };
}

export type FormEntry =
  | { name: string; value: string }
  | { name: string; filename: string; content: string | Buffer };

/** A multipart/form-data body with these parts, in this order. */
export function multipart(entries: readonly FormEntry[]) {
  const boundary = `----leadscore-test-${randomBytes(8).toString('hex')}`;
  const pieces: Buffer[] = [];
  for (const entry of entries) {
    pieces.push(Buffer.from(`--${boundary}\r\n`));
    if ('filename' in entry) {
      pieces.push(
        Buffer.from(
          `Content-Disposition: form-data; name="${entry.name}"; filename="${entry.filename}"\r\n` +
            'Content-Type: text/csv\r\n\r\n',
        ),
        Buffer.from(entry.content),
        Buffer.from('\r\n'),
      );
    } else {
      pieces.push(
        Buffer.from(
          `Content-Disposition: form-data; name="${entry.name}"\r\n\r\n${entry.value}\r\n`,
        ),
      );
    }
  }
  pieces.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(pieces),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/** POST /imports/{kind} with the CSV and the options given as form fields. */
export function upload(
  t: ImportsTestApp,
  token: string,
  kind: 'leads' | 'activities',
  csv: string,
  fields: Record<string, string> = {},
) {
  const form = multipart([
    ...Object.entries(fields).map(([name, value]) => ({ name, value })),
    { name: 'file', filename: `${kind}.csv`, content: csv },
  ]);
  return t.app.inject({
    method: 'POST',
    url: `/imports/${kind}`,
    headers: { ...form.headers, authorization: `Bearer ${token}` },
    payload: form.payload,
  });
}

/** Runs the import's job as the queue would, by its handler. */
export async function runJob(
  t: ImportsTestApp,
  organizationId: string,
  importId: string,
  options: Omit<ImportRunDeps, 'db'> & { retryCount?: number } = {},
) {
  const { retryCount = 0, ...deps } = options;
  await importJobHandlers({ db: t.database.db, ...deps })['imports.run'](
    { organizationId, importId },
    { jobId: 'test', retryCount, retryLimit: 5 },
  );
}

export async function getImport(t: ImportsTestApp, token: string, id: string): Promise<Import> {
  const response = await t.app.inject({
    method: 'GET',
    url: `/imports/${id}`,
    headers: { authorization: `Bearer ${token}` },
  });
  if (response.statusCode !== 200) throw new Error(response.body);
  return response.json();
}

/** Every page of the import's validation report. */
export async function importErrors(t: ImportsTestApp, token: string, id: string) {
  const all: unknown[] = [];
  let cursor: string | null = null;
  do {
    const response: LightMyRequestResponse = await t.app.inject({
      method: 'GET',
      url: `/imports/${id}/errors?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      headers: { authorization: `Bearer ${token}` },
    });
    if (response.statusCode !== 200) throw new Error(response.body);
    const page: { data: unknown[]; nextCursor: string | null } = response.json();
    all.push(...page.data);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

/** The organisation's leads as the editable fields, by email. */
export async function leadsOf(t: ImportsTestApp, organizationId: string) {
  const rows = await t.database.db
    .selectFrom('leads')
    .select([
      'email',
      'first_name',
      'last_name',
      'company',
      'job_title',
      'phone',
      'website',
      'source',
      'status',
      'owner_id',
      'country',
      'industry',
      'company_size',
      'custom_attributes',
    ])
    .where('organization_id', '=', organizationId)
    .orderBy('email')
    .execute();
  return rows;
}
