import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Database, openDatabase } from '../../db/connection.js';
import { createTestOrganization } from '../../test/factories.js';

const CLI = fileURLToPath(new URL('../../cli.ts', import.meta.url));
const postgresUrl = inject('postgresUrl');
const skipped = postgresUrl ? '' : ` (skipped: ${inject('postgresSkipReason')})`;

function leadscore(args: string[], env: Record<string, string>) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=leadscore-source', CLI, ...args],
    {
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
}

// The embedded database would cost the child its own initdb; PostgreSQL is shared as it is.
describe.skipIf(!postgresUrl)(`leadscore import [postgres]${skipped}`, () => {
  let database: Database;
  let dir: string;
  let env: Record<string, string>;
  let org: { organizationId: string; slug: string };
  beforeAll(async () => {
    database = await openDatabase({ databaseUrl: postgresUrl ?? '', dataDir: '' });
    const { organizationId } = await createTestOrganization(database.db);
    const { slug } = await database.db
      .selectFrom('organizations')
      .select('slug')
      .where('id', '=', organizationId)
      .executeTakeFirstOrThrow();
    org = { organizationId, slug };
    dir = await mkdtemp(path.join(tmpdir(), 'leadscore-import-'));
    env = { DATABASE_URL: postgresUrl ?? '', DATA_DIR: dir };
  });
  afterAll(() => database?.close());

  it('imports a file with a mapping, prints the summary and the refused rows, exits 2', async () => {
    const file = path.join(dir, 'leads.csv');
    await writeFile(
      file,
      'E-mail,Firm,Size\nana@cli.example,Acme,12\nnot-an-email,Bad,1\nbo@cli.example,,x\n',
    );
    const run = await leadscore(
      [
        'import',
        'leads',
        file,
        '--org',
        org.slug,
        '--map',
        'E-mail=email,Firm=company,Size=companySize',
      ],
      env,
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(
      /leads\.csv: 3 rows imported \(import [0-9a-f-]{36}\): 1 inserted, 0 updated, 0 unchanged, 0 skipped, 2 refused\./,
    );
    expect(run.stdout).toContain('  row 2, column E-mail: email must match format "email"');
    expect(run.stdout).toContain('  row 3, column Size: companySize must be integer');
    const leads = await database.db
      .selectFrom('leads')
      .select(['email', 'company', 'company_size'])
      .where('organization_id', '=', org.organizationId)
      .execute();
    expect(leads).toEqual([{ email: 'ana@cli.example', company: 'Acme', company_size: 12 }]);
    const imports = await database.db
      .selectFrom('imports')
      .select(['status', 'created_by_type', 'job_id'])
      .where('organization_id', '=', org.organizationId)
      .execute();
    expect(imports).toEqual([{ status: 'succeeded', created_by_type: 'system', job_id: null }]);
  });

  it('imports activities without a mapping and exits 0', async () => {
    const file = path.join(dir, 'activities.csv');
    await writeFile(
      file,
      'leadEmail,type,timestamp\nANA@cli.example,email_open,2026-02-01T09:00:00Z\n',
    );
    const run = await leadscore(['import', 'activities', file, '--org', org.slug], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('1 inserted');
  });

  it('explains a mapping that does not fit the file, and stores nothing', async () => {
    const file = path.join(dir, 'other.csv');
    await writeFile(file, 'Email\nzoe@cli.example\n');
    const run = await leadscore(
      ['import', 'leads', file, '--org', org.slug, '--map', 'Mail=email'],
      env,
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'leadscore: mapping.Mail: names a column the file does not have (its header: Email)\n',
    );
    const stored = await database.db
      .selectFrom('imports')
      .select('id')
      .where('file_name', '=', 'other.csv')
      .execute();
    expect(stored).toEqual([]);
    const missing = await leadscore(['import', 'leads', file, '--org', 'no-such-org'], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^leadscore: no organisation has the slug no-such-org/);
  });
});
