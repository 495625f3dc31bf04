import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createEmptyPostgresDatabase } from '../test/databases.js';

const CLI = fileURLToPath(new URL('../cli.ts', import.meta.url));
const postgresUrl = inject('postgresUrl');
const skipped = postgresUrl ? '' : ` (skipped: ${inject('postgresSkipReason')})`;
const ADMIN = { email: 'owner@roles.example', password: 'a long admin password for roles' };

interface Started {
  child: ChildProcess;
  output: () => string;
}

function start(args: string[], env: Record<string, string>): Started {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=leadscore-source', CLI, ...args],
    {
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  return { child, output: () => output };
}

async function waitFor(started: Started, pattern: RegExp, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const match = pattern.exec(started.output());
    if (match) return match[1] ?? match[0];
    if (started.child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no ${pattern} in the output:\n${started.output()}`);
}

function stop(started: Started): Promise<number | null> {
  if (started.child.exitCode !== null) return Promise.resolve(started.child.exitCode);
  const exited = new Promise<number | null>((resolve) => started.child.once('exit', resolve));
  started.child.kill('SIGTERM');
  return exited;
}

describe.skipIf(!postgresUrl)(`serve --role api and worker, apart [postgres]${skipped}`, () => {
  let env: Record<string, string>;
  let drop: () => Promise<void>;
  let api: Started | undefined;
  let worker: Started | undefined;
  beforeAll(async () => {
    const empty = await createEmptyPostgresDatabase();
    drop = empty.drop;
    env = {
      DATABASE_URL: empty.url,
      DATA_DIR: await mkdtemp(path.join(tmpdir(), 'leadscore-roles-')),
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
    };
  });
  afterAll(async () => {
    for (const started of [api, worker]) if (started) await stop(started);
    await drop?.();
  });

  it('the API alone stores activities without scoring them; a worker process scores them', async () => {
    api = start(['serve', '--role', 'api', '--no-demo'], { ...env, PORT: '0' });
    const url = await waitFor(api, /running at (http:\/\/\S+)/, 60_000);
    const call = async (method: string, route: string, token: string | null, body?: unknown) => {
      const response = await fetch(`${url}${route}`, {
        method,
        headers: {
          ...(token && { authorization: `Bearer ${token}` }),
          ...(body !== undefined && { 'content-type': 'application/json' }),
        },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const login = await call('POST', '/auth/login', null, ADMIN);
    const token = login.body.accessToken as string;
    const lead = await call('POST', '/leads', token, {
      email: 'cto@prospect.example',
      jobTitle: 'Chief Technology Officer',
      companySize: 400,
    });
    expect(lead.status).toBe(201);
    const leadId = lead.body.id as string;
    const posted = await call('POST', '/activities/batch', token, {
      activities: ['pricing_view', 'demo_request'].map((type) => ({
        leadId,
        type,
        timestamp: new Date(Date.now() - 60_000).toISOString(),
      })),
    });
    expect(posted.status).toBe(202);

    const read = async () => {
      const [leadNow, activities] = await Promise.all([
        call('GET', `/leads/${leadId}`, token),
        call('GET', `/leads/${leadId}/activities`, token),
      ]);
      return {
        score: leadNow.body.currentScore,
        processed: (activities.body.data as { processed: boolean }[]).map((a) => a.processed),
      };
    };
    // Well past the second within which a scorer would have scored them.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(await read()).toEqual({ score: null, processed: [false, false] });

    worker = start(['worker'], env);
    await waitFor(worker, /Leadscore worker is scoring activities from postgres:/, 60_000);
    const deadline = Date.now() + 10_000;
    let state = await read();
    while (state.score === null && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      state = await read();
    }
    expect(state).toEqual({ score: expect.any(Number), processed: [true, true] });

    expect(await stop(worker)).toBe(0);
    expect(await stop(api)).toBe(0);
  }, 150_000);
});
