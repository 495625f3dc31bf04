import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { type Database, usePGlite } from '../../db/connection.js';
import { PGLITE_OPTIONS } from '../../db/pglite-options.js';
import type { DB } from '../../db/schema.js';
import { TEST_SIGNING_KEY, testConfig } from '../../test/app.js';
import { describeEachEngine } from '../../test/databases.js';
import { createTestOrganization, createTestUser } from '../../test/factories.js';
import { createTokenSigner } from '../auth/index.js';
import { EXPORT_COLUMNS } from './export-formats.js';

const LEADS = 200_000;
const MB = 1024 * 1024;
/** How a test starts `leadscore`: from the sources, as src/cli.test.ts does. */
const LEADSCORE = [
  '--import',
  'tsx',
  '--conditions=leadscore-source',
  fileURLToPath(new URL('../../cli.ts', import.meta.url)),
];

/**
 * The server runs in a process of its own, so that its RSS is the server's alone: in the test
 * process, memory an earlier suite freed (the allocator keeps it) would hide any growth. Its
 * V8 old space is capped at 128 MB (its live heap is about 70 MB): without a cap V8 lets
 * garbage pile up to a few times the live heap before collecting it, which says nothing about
 * what the export keeps. With it, a server that held the 110 MB file — or the rows behind it,
 * which take several times more — would die of heap exhaustion, and one that streams stays
 * within BOUND_MB of RSS, a bound below the size of the file it sends.
 */
const SERVER_HEAP_MB = 128;
const POOL_MAX = 3;
const BOUND_MB = 64;

interface CliRun {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

describeEachEngine('exports of 200,000 leads, from the server and the CLI', (engine) => {
  let server: ChildProcess | undefined;
  let url: string;
  let token: string;
  let dataDir: string;
  let slug: string;
  /** What `leadscore export leads` wrote, run before the server holds the database. */
  const cli: Record<'lost' | 'ndjson' | 'unknownOrg' | 'badStatus', CliRun> = {} as never;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'leadscore-export-memory-'));
    // The server's database: the run's PostgreSQL database, or a PGlite data dir made from the
    // run's migrated snapshot (which spares initdb); the server process opens it after us.
    let database: Database;
    let pglite: PGlite | undefined;
    if (engine.name === 'postgres') {
      database = await engine.open();
    } else {
      pglite = await PGlite.create(path.join(dataDir, 'pgdata'), {
        ...PGLITE_OPTIONS,
        loadDataDir: new Blob([await readFile(inject('pgliteSnapshot'))]),
      });
      database = usePGlite(pglite, () => pglite?.close() ?? Promise.resolve());
    }
    try {
      const { organizationId } = await createTestOrganization(database.db);
      ({ slug } = await database.db
        .selectFrom('organizations')
        .select('slug')
        .where('id', '=', organizationId)
        .executeTakeFirstOrThrow());
      const user = await createTestUser(database.db, organizationId, 'manager');
      token = await createTokenSigner({
        key: TEST_SIGNING_KEY,
        issuer: testConfig().publicUrl,
      }).issue({ userId: user.id, organizationId });
      await insertLeads(database.db, organizationId);
      if (pglite) await pglite.exec('CHECKPOINT');
    } finally {
      await database.close();
    }
    // Before the server: the embedded database is opened by one process at a time.
    cli.lost = await runCli(['export', 'leads', '--org', slug, '--status', 'lost']);
    cli.ndjson = await runCli([
      'export',
      'leads',
      '--format',
      'ndjson',
      '--org',
      slug,
      '--min-score',
      '99',
    ]);
    cli.unknownOrg = await runCli(['export', 'leads', '--org', 'no-such-org']);
    cli.badStatus = await runCli(['export', 'leads', '--org', slug, '--status', 'won']);
    server = spawn(
      process.execPath,
      [
        `--max-old-space-size=${SERVER_HEAP_MB}`,
        ...LEADSCORE,
        'serve',
        '--no-demo',
        // On PostgreSQL the API alone: the scorer would drain other suites' activities.
        ...(engine.name === 'postgres' ? ['--role', 'api'] : []),
      ],
      { env: environment(), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    url = await listeningUrl(server);
  }, 600_000);

  /** What the processes read their configuration from: this suite's database, quiet logs. */
  function environment(): Record<string, string> {
    return {
      PATH: process.env.PATH ?? '',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      PUBLIC_URL: testConfig().publicUrl,
      TOKEN_SIGNING_KEY: TEST_SIGNING_KEY,
      DATA_DIR: dataDir,
      // Few connections, so that an export that kept one after its client left would soon
      // leave none for the next request.
      DATABASE_POOL_MAX: String(POOL_MAX),
      ...(engine.name === 'postgres' && { DATABASE_URL: inject('postgresUrl') ?? '' }),
    };
  }

  async function runCli(args: string[]): Promise<CliRun> {
    const child = spawn(process.execPath, [...LEADSCORE, ...args], {
      env: environment(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr?.on('data', (chunk) => {
      stderr += chunk;
    });
    const [code] = (await once(child, 'close')) as [number | null];
    return { code, stdout: Buffer.concat(stdout), stderr };
  }

  afterAll(async () => {
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await once(server, 'exit');
    }
    await rm(dataDir, { recursive: true, force: true });
  });

  const exportUrl = (query: string) => `${url}/exports/leads?${query}`;
  const headers = () => ({ authorization: `Bearer ${token}` });

  /** Exports as CSV, reading the response as it comes: rows counted, the start kept. */
  async function streamExport(query: string, onChunk: () => void = () => {}) {
    const response = await fetch(exportUrl(`format=csv${query}`), { headers: headers() });
    expect(response.status).toBe(200);
    let lines = 0;
    let bytes = 0;
    let head = '';
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      const buffer = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      if (head.length < 1000) head += buffer.toString('utf8');
      for (let at = buffer.indexOf(10); at !== -1; at = buffer.indexOf(10, at + 1)) lines++;
      bytes += buffer.length;
      onChunk();
    }
    return { lines, bytes, head };
  }

  it('streams them all while the server’s memory stays flat', async () => {
    const pid = server?.pid as number;
    // A small export first, so that the measured one starts from a warmed-up server.
    expect((await streamExport('&minScore=100')).lines).toBeGreaterThan(1);
    const baseline = await rssOf(pid);
    let peak = baseline;
    const sample = () => {
      rssOf(pid).then(
        (rss) => {
          peak = Math.max(peak, rss);
        },
        () => undefined,
      );
    };
    const sampler = setInterval(sample, 10);
    const started = performance.now();
    const { lines, bytes, head } = await streamExport('', sample).finally(() =>
      clearInterval(sampler),
    );
    peak = Math.max(peak, await rssOf(pid));
    const seconds = (performance.now() - started) / 1000;
    const growth = (peak - baseline) / MB;
    console.log(
      `[${engine.name}] ${LEADS} leads, ${(bytes / MB).toFixed(0)} MB of CSV streamed in ${seconds.toFixed(1)} s ` +
        `(${Math.round(LEADS / seconds)} rows/s); server RSS ${(baseline / MB).toFixed(0)} MB, peak +${growth.toFixed(0)} MB`,
    );
    expect(head.startsWith(`${EXPORT_COLUMNS.leads.join(',')}\r\n`)).toBe(true);
    expect(lines).toBe(LEADS + 1);
    expect(bytes / MB).toBeGreaterThan(BOUND_MB);
    expect(growth).toBeLessThan(BOUND_MB);
    expect(server?.exitCode).toBeNull();
  }, 600_000);

  it('lets go of everything an export held when its client hangs up midway', async () => {
    for (let abandoned = 0; abandoned < POOL_MAX * 2; abandoned++) {
      const hangUp = new AbortController();
      const response = await fetch(exportUrl('format=csv'), {
        headers: headers(),
        signal: hangUp.signal,
      });
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      await reader.read();
      hangUp.abort();
      await reader.read().catch(() => undefined);
    }
    // Had each kept its connection, this one would wait for a free connection for ever.
    const after = await streamExport('&minScore=100');
    // Leads n with n % 101 = 100 have the score 100 (see insertLeads); and the header line.
    expect(after.lines).toBe(Math.floor((LEADS - 100) / 101) + 1 + 1);
    expect(server?.exitCode).toBeNull();
  }, 120_000);

  it('`leadscore export leads` writes to stdout what GET /exports/leads sends', async () => {
    expect(cli.lost.code, cli.lost.stderr).toBe(0);
    const api = await fetch(exportUrl('format=csv&status=lost'), { headers: headers() });
    const fromApi = Buffer.from(await api.arrayBuffer());
    expect(cli.lost.stdout.equals(fromApi)).toBe(true);
    const rows = cli.lost.stdout.toString('utf8').split('\r\n').length - 2;
    expect(rows).toBe(LEADS / 5);
    // No terminal here, so no progress bar: stderr has the summary alone.
    expect(cli.lost.stderr).toMatch(
      new RegExp(`^Exported ${LEADS / 5} leads of "${slug}" as CSV in \\d+\\.\\d s\\.\\n$`),
    );

    expect(cli.ndjson.code, cli.ndjson.stderr).toBe(0);
    const lines = cli.ndjson.stdout.toString('utf8').trimEnd().split('\n');
    const scores = lines.map((line) => JSON.parse(line).currentScore as number);
    expect(scores.length).toBeGreaterThan(0);
    expect(scores.every((score) => score >= 99)).toBe(true);
    const fromApiNdjson = await fetch(exportUrl('format=ndjson&minScore=99'), {
      headers: headers(),
    });
    expect(cli.ndjson.stdout.toString('utf8')).toBe(await fromApiNdjson.text());
  });

  it('`leadscore export` says what is wrong and exits 1', () => {
    expect(cli.unknownOrg).toMatchObject({ code: 1, stdout: Buffer.alloc(0) });
    expect(cli.unknownOrg.stderr).toBe('leadscore: no organisation has the slug "no-such-org"\n');
    expect(cli.badStatus.code).toBe(1);
    expect(cli.badStatus.stderr).toMatch(/--status.*expected statuses among new, contacted/);
  });
});

/** 200,000 leads of about 550 bytes of CSV each, in one statement. */
async function insertLeads(db: Kysely<DB>, organizationId: string): Promise<void> {
  await sql`
    insert into leads (organization_id, email, first_name, last_name, company, job_title,
      website, source, status, country, industry, company_size, custom_attributes,
      current_score, max_score, current_grade, last_activity_at)
    select ${organizationId}::uuid, 'lead-' || n || '@bulk-export.example', 'First' || n,
      'Last' || n, 'Company ' || (n % 5000), 'Director of Marketing ' || (n % 97),
      'https://company-' || (n % 5000) || '.example',
      (array['ads', 'webinar', 'organic'])[1 + n % 3],
      (array['new', 'contacted', 'qualified', 'converted', 'lost'])[1 + n % 5], 'US',
      'Software', n % 1000, jsonb_build_object('n', n, 'plan', 'enterprise', 'note', repeat('y', 250)),
      n % 101, n % 101, 'B2', now() - n * interval '1 minute'
    from generate_series(1, ${LEADS}::int) as n`.execute(db);
}

/** The server's address, from the line `leadscore serve` prints once it listens. */
async function listeningUrl(server: ChildProcess): Promise<string> {
  let output = '';
  server.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  server.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  for (let waited = 0; waited < 120_000; waited += 100) {
    const found = /running at (http:\/\/\S+)/.exec(output)?.[1];
    if (found) return found;
    if (server.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the server did not start:\n${output}`);
}

/** A process's resident set size in bytes (Linux: /proc). */
async function rssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1]) * 1024;
}
