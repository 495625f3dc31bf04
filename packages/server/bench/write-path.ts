/**
 * insertDemoBatch's write path against a multi-row VALUES baseline, the same batches written
 * both ways in one run, interleaved, and its table.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../src/db/schema.js';
// The repository rather than the module's index: the write path itself is what is measured.
import { insertDemoBatch } from '../src/modules/demo/demo.repository.js';
import { type DemoBatch, generateDemoBatches } from '../src/modules/demo/demo-data.js';
import type { EngineOutcome } from './engines.js';
import { progress } from './log.js';
import { type Column, count, formatTable, perSecond, ratio, seconds } from './report.js';
import { insertDemoBatchAsValues } from './values-insert.js';
import { BATCH_SIZE, createBenchOrganization, rowsOf, SEED, type Volume } from './workload.js';

/** Leads written both ways by the comparison (fewer when --leads is smaller). */
const COMPARISON_LEADS = 20_000;
/** Written both ways, untimed, before anything is timed on an engine. */
const WARMUP_LEADS = 1000;
const WARMUP_BATCH_SIZE = 250;

/** The same batches written both ways. */
export interface WritePaths {
  jsonb: Volume;
  values: Volume;
}

/**
 * An untimed warm-up, then the first min(leads, 20,000) leads both ways; each way of writing
 * gets organisations of its own.
 */
export async function measureWritePaths(
  db: Kysely<DB>,
  label: string,
  leads: number,
  now: Date,
): Promise<WritePaths> {
  const warmup = {
    jsonb: await createBenchOrganization(db, 'warmup-jsonb'),
    values: await createBenchOrganization(db, 'warmup-values'),
  };
  const compared = {
    jsonb: await createBenchOrganization(db, 'jsonb'),
    values: await createBenchOrganization(db, 'values'),
  };

  progress(`${label}: warm-up, ${count(WARMUP_LEADS)} leads each way`);
  await compareWritePaths(db, warmup, {
    seed: SEED + 1,
    leads: WARMUP_LEADS,
    now,
    batchSize: WARMUP_BATCH_SIZE,
  });
  const comparisonLeads = Math.min(leads, COMPARISON_LEADS);
  progress(`${label}: write paths, ${count(comparisonLeads)} leads each way, interleaved`);
  return compareWritePaths(db, compared, {
    seed: SEED,
    leads: comparisonLeads,
    now,
    batchSize: BATCH_SIZE,
  });
}

/**
 * Writes each batch both ways, each in its own transaction as seedDemoLeads does, alternating
 * which goes first, so both see the same table sizes, caches and garbage collector.
 * Only the writes are timed, not the generator.
 */
async function compareWritePaths(
  db: Kysely<DB>,
  organizations: { jsonb: string; values: string },
  options: { seed: number; leads: number; now: Date; batchSize: number },
): Promise<WritePaths> {
  const jsonb: Volume = { leads: 0, activities: 0, seconds: 0 };
  const values: Volume = { leads: 0, activities: 0, seconds: 0 };
  const timed = async (
    volume: Volume,
    write: (trx: Kysely<DB>, batch: DemoBatch) => Promise<void>,
    batch: DemoBatch,
  ) => {
    const started = performance.now();
    await db.transaction().execute((trx) => write(trx, batch));
    volume.seconds += (performance.now() - started) / 1000;
    volume.leads += batch.leads.length;
    volume.activities += batch.activities.length;
  };
  const writeJsonb = (trx: Kysely<DB>, batch: DemoBatch) =>
    insertDemoBatch(trx, organizations.jsonb, batch);
  const writeValues = (trx: Kysely<DB>, batch: DemoBatch) =>
    insertDemoBatchAsValues(trx, organizations.values, batch);

  let index = 0;
  for (const batch of generateDemoBatches(options)) {
    if (index++ % 2 === 0) {
      await timed(jsonb, writeJsonb, batch);
      await timed(values, writeValues, batch);
    } else {
      await timed(values, writeValues, batch);
      await timed(jsonb, writeJsonb, batch);
    }
  }
  return { jsonb, values };
}

export function writePathTable(leads: number, engines: EngineOutcome<WritePaths>[]): string {
  const columns: Column[] = [
    { title: 'engine', align: 'left' },
    { title: 'write path', align: 'left' },
    { title: 'rows', align: 'right' },
    { title: 'seconds', align: 'right' },
    { title: 'rows/s', align: 'right' },
    { title: 'ours ÷ baseline', align: 'right' },
  ];
  const body: string[][] = [];
  for (const engine of engines) {
    if (engine.kind !== 'measured') {
      body.push([engine.label, engine.kind]);
      continue;
    }
    const { label } = engine;
    const { jsonb, values } = engine.result;
    const rate = (volume: Volume) => rowsOf(volume) / volume.seconds;
    body.push(
      [
        label,
        'values (baseline)',
        count(rowsOf(values)),
        seconds(values.seconds),
        perSecond(rowsOf(values), values.seconds),
        ratio(1),
      ],
      [
        label,
        'jsonb_to_recordset (ours)',
        count(rowsOf(jsonb)),
        seconds(jsonb.seconds),
        perSecond(rowsOf(jsonb), jsonb.seconds),
        ratio(rate(jsonb) / rate(values)),
      ],
    );
  }
  return [
    `Write path: the first ${count(Math.min(leads, COMPARISON_LEADS))} leads written both ways into near-empty tables,`,
    'batch by batch, one transaction each, alternating which way goes first',
    '(ours = insertDemoBatch, one JSON parameter per table expanded by jsonb_to_recordset;',
    ' baseline = Kysely multi-row insert ... values, ≤ 65,535 parameters per statement;',
    ` after an untimed warm-up of ${count(WARMUP_LEADS)} leads each way; only the writes are timed)`,
    formatTable(columns, body),
  ].join('\n');
}
