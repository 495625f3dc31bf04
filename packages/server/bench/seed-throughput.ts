/**
 * Demo-seed throughput: the generator alone, so the seed figures can be split into generating
 * and writing, then seedDemoLeads per engine, and their table.
 */
import { type Kysely, sql } from 'kysely';
import type { DB } from '../src/db/schema.js';
import { type DemoBatch, generateDemoBatches } from '../src/modules/demo/demo-data.js';
import { seedDemoLeads } from '../src/modules/demo/index.js';
import type { EngineOutcome } from './engines.js';
import { progress } from './log.js';
import { type Column, count, formatTable, percent, perSecond, seconds } from './report.js';
import { BATCH_SIZE, createBenchOrganization, rowsOf, SEED, type Volume } from './workload.js';

/** One full seed with `writers` batches in flight at once. */
export interface SeedRun {
  writers: number;
  volume: Volume;
}

export function measureGenerator(leads: number, now: Date): Volume {
  drain(generateDemoBatches({ seed: SEED + 1, leads: Math.min(leads, 2000), now }));
  const started = performance.now();
  const totals = drain(generateDemoBatches({ seed: SEED, leads, now, batchSize: BATCH_SIZE }));
  return { ...totals, seconds: (performance.now() - started) / 1000 };
}

function drain(batches: Iterable<DemoBatch>): { leads: number; activities: number } {
  const totals = { leads: 0, activities: 0 };
  for (const batch of batches) {
    totals.leads += batch.leads.length;
    totals.activities += batch.activities.length;
  }
  return totals;
}

/**
 * Seeds `leads` once per entry of `writerCounts`, in order, each time from emptied lead tables
 * as on a first run. Earlier measurements' rows are truncated away first.
 */
export async function measureSeeds(
  db: Kysely<DB>,
  label: string,
  leads: number,
  now: Date,
  writerCounts: readonly number[],
): Promise<SeedRun[]> {
  const organizationId = await createBenchOrganization(db, 'seed');
  const runs: SeedRun[] = [];
  for (const writers of writerCounts) {
    await sql`truncate lead_scores, lead_activities, leads`.execute(db);
    const how = writers === 1 ? '' : `, ${writers} writers`;
    progress(`${label}: seeding ${count(leads)} leads${how}`);
    const started = performance.now();
    const totals = await seedDemoLeads(db, organizationId, {
      seed: SEED,
      leads,
      now,
      batchSize: BATCH_SIZE,
      writers,
    });
    runs.push({ writers, volume: { ...totals, seconds: (performance.now() - started) / 1000 } });
  }
  return runs;
}

export function seedTable(
  leads: number,
  generator: Volume,
  engines: EngineOutcome<{ seeds: readonly SeedRun[] }>[],
): string {
  const columns: Column[] = [
    { title: 'what', align: 'left' },
    { title: 'leads', align: 'right' },
    { title: 'activities', align: 'right' },
    { title: 'rows', align: 'right' },
    { title: 'seconds', align: 'right' },
    { title: 'leads/s', align: 'right' },
    { title: 'rows/s', align: 'right' },
    { title: 'generator share', align: 'right' },
    { title: 'rows/s less generator', align: 'right' },
  ];
  const row = (label: string, volume: Volume, generatorSeconds?: number) => {
    const rows = rowsOf(volume);
    return [
      label,
      count(volume.leads),
      count(volume.activities),
      count(rows),
      seconds(volume.seconds),
      perSecond(volume.leads, volume.seconds),
      perSecond(rows, volume.seconds),
      generatorSeconds === undefined ? '' : percent(generatorSeconds / volume.seconds),
      generatorSeconds === undefined ? '' : perSecond(rows, volume.seconds - generatorSeconds),
    ];
  };
  const body = [row('generator only, no database', generator)];
  for (const engine of engines) {
    if (engine.kind !== 'measured') {
      body.push([`${engine.label}: ${engine.kind}`]);
      continue;
    }
    for (const { writers, volume } of engine.result.seeds) {
      if (writers === 1) {
        body.push(row(`seedDemoLeads on ${engine.label}`, volume, generator.seconds));
      } else {
        // With several writers the next batch is generated while others are written, so
        // seed seconds no longer split into generating + writing: no generator columns.
        body.push(row(`seedDemoLeads on ${engine.label}, ${writers} writers`, volume));
      }
    }
  }
  return [
    `Seed throughput: ${count(leads)} demo leads (rows = leads + activities)`,
    '(generator share = generator-only seconds ÷ seed seconds, same data)',
    formatTable(columns, body),
  ].join('\n');
}
