/** Start-up through the real entry point, on the embedded database, and its table. */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import type { FirstRunResult } from '../src/first-run.js';
import { startServer } from '../src/server.js';
import { progress } from './log.js';
import { type Column, count, formatTable, seconds } from './report.js';
import { BENCH_PASSWORD } from './workload.js';

export interface StartupRow {
  label: string;
  dataDir: string;
  demo: boolean;
  seconds: number;
  firstRun: FirstRunResult | null;
}

/** Starts in fresh data dirs under `scratch`, removing each; `scratch` itself is the caller's. */
export async function measureStartups(scratch: string): Promise<StartupRow[]> {
  // The first start in a process also compiles PGlite's WebAssembly and warms the JIT; it is
  // shown apart so that (a) and (c) compare like with like.
  const warm = await startOnce(scratch, 'start-cold', false, 'warm-up: first start in process');
  const firstRun = await startOnce(scratch, 'start-a', true, '(a) first run', { keep: true });
  const second = await startOnce(scratch, 'start-a', true, '(b) second start');
  await rm(path.join(scratch, 'start-a'), { recursive: true, force: true });
  const noDemo = await startOnce(scratch, 'start-c', false, '(c) first run, no demo');
  return [warm, firstRun, { ...second, dataDir: 'existing, from (a)' }, noDemo];
}

async function startOnce(
  scratch: string,
  dirName: string,
  demo: boolean,
  label: string,
  options: { keep?: boolean } = {},
): Promise<StartupRow> {
  progress(`start-up ${label}`);
  const dataDir = path.join(scratch, dirName);
  const config = loadConfig({
    DATA_DIR: dataDir,
    PORT: '0',
    LOG_LEVEL: 'silent',
    ADMIN_PASSWORD: BENCH_PASSWORD,
  });
  const started = performance.now();
  const server = await startServer(config, { demo });
  const elapsed = (performance.now() - started) / 1000;
  await server.close();
  if (!options.keep) await rm(dataDir, { recursive: true, force: true });
  return { label, dataDir: 'empty', demo, seconds: elapsed, firstRun: server.firstRun };
}

function describeFirstRun(firstRun: FirstRunResult | null): string {
  if (firstRun === null) return 'none (database reused)';
  return firstRun.demoLeads > 0 ? `admin + ${count(firstRun.demoLeads)} demo leads` : 'admin only';
}

export function startupTable(rows: StartupRow[]): string {
  const columns: Column[] = [
    { title: 'start', align: 'left' },
    { title: 'DATA_DIR', align: 'left' },
    { title: 'demo', align: 'left' },
    { title: 'first-run work', align: 'left' },
    { title: 'seconds', align: 'right' },
  ];
  const body = rows.map((row) => [
    row.label,
    row.dataDir,
    row.demo ? 'on' : 'off',
    describeFirstRun(row.firstRun),
    seconds(row.seconds),
  ]);
  const a = rows.find((row) => row.label.startsWith('(a)'));
  const c = rows.find((row) => row.label.startsWith('(c)'));
  if (a && c) body.push(['demo seeding ≈ (a) − (c)', '', '', '', seconds(a.seconds - c.seconds)]);
  return [
    'Start-up: startServer() until listening, in-process, embedded PGlite, fresh temp DATA_DIR',
    '(an empty DATA_DIR pays initdb + migrations + first run)',
    formatTable(columns, body),
  ].join('\n');
}
