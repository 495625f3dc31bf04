import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const CLI = fileURLToPath(new URL('./cli.ts', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function start(args: string[], env: Record<string, string> = {}): ChildProcess {
  // Only what the CLI needs: a developer's own DATABASE_URL or PORT must not leak in.
  return spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=leadscore-source', CLI, ...args],
    {
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
}

function run(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const child = start(args, env);
  return collect(child);
}

function collect(child: ChildProcess): Promise<Run> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe('leadscore CLI', () => {
  it.each(['', 'serve', 'worker', 'migrate', 'seed'])(
    'prints help for "leadscore %s --help"',
    async (command) => {
      const result = await run([...(command ? [command] : []), '--help']);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^Usage: leadscore/);
    },
  );

  it('documents the seed options', async () => {
    const { stdout } = await run(['seed', '--help']);
    expect(stdout).toMatch(/--leads <n>/);
    expect(stdout).toMatch(/--seed <s>/);
  });

  it('exits non-zero naming each bad environment variable', async () => {
    const result = await run(['serve'], { PORT: 'http', LOG_LEVEL: 'loud' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Invalid configuration');
    expect(result.stderr).toMatch(/PORT="http" is invalid: expected TCP port/);
    expect(result.stderr).toMatch(/LOG_LEVEL="loud" is invalid/);
  });

  it('refuses to run the scorer apart on the embedded database, saying why', async () => {
    const result = await run(['worker'], { DATA_DIR: '/nonexistent/leadscore' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^leadscore: leadscore worker needs DATABASE_URL: the embedded database \(DATA_DIR\) is opened by one process only/,
    );
  });

  it('refuses to serve the API alone on the embedded database, saying why', async () => {
    const result = await run(['serve', '--role', 'api'], { DATA_DIR: '/nonexistent/leadscore' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^leadscore: leadscore serve --role api needs DATABASE_URL/);
    expect((await run(['serve', '--role', 'worker'])).stderr).toMatch(
      /--role.*expected one of all, api/,
    );
  });

  it('rejects a bad option value', async () => {
    const result = await run(['seed', '--leads', '0']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/--leads.*expected a positive integer/);
  });
});

// A new embedded database runs initdb (7–13 s here, several times that on a loaded machine).
const EMBEDDED_FIRST_START_MS = 120_000;

describe('leadscore CLI on a data directory', { timeout: EMBEDDED_FIRST_START_MS }, () => {
  let env: Record<string, string>;
  beforeAll(async () => {
    env = { DATA_DIR: await mkdtemp(path.join(tmpdir(), 'leadscore-cli-')) };
  });

  it('migrates, then reports the database up to date', async () => {
    const first = await run(['migrate'], env);
    expect(first.stderr).toBe('');
    expect(first.stdout).toMatch(/^Applied 0001_initial_schema/);
    expect(first.code).toBe(0);
    const status = await run(['migrate', '--status'], env);
    expect(status.stdout).toMatch(/^0001_initial_schema {2}applied$/m);
    expect((await run(['migrate'], env)).stdout).toBe('The database is up to date.\n');
  });

  it('seeds a demo organisation, and refuses to create the same one twice', async () => {
    const seeded = await run(['seed', '--leads', '300', '--seed', '5'], env);
    expect(seeded.code).toBe(0);
    expect(seeded.stdout).toMatch(/Seeded "Demo 5": 300 leads and \d+ activities/);
    expect(seeded.stdout).toMatch(/Admin login: admin@demo-5\.example {2}password: \S{20,}/);

    const again = await run(['seed', '--leads', '300', '--seed', '5'], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/organisation with the slug "demo-5" already exists/);
  });

  it('serves until SIGTERM, then shuts down cleanly and frees the data directory', async () => {
    const server = start(['serve', '--no-demo'], { ...env, PORT: '0', LOG_LEVEL: 'info' });
    const exited = collect(server);
    let output = '';
    server.stdout?.on('data', (chunk) => {
      output += chunk;
    });
    for (let i = 0; i < 300 && !output.includes('Leadscore is running at'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const url = /running at (http:\/\/\S+)/.exec(output)?.[1];
    expect(url).toBeDefined();
    expect((await fetch(`${url}/healthz`)).status).toBe(200);

    server.kill('SIGTERM');
    const result = await exited;
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('shutdown complete');
    // The lock is gone: another process can open the embedded database.
    expect((await run(['migrate'], env)).code).toBe(0);
  });
});
