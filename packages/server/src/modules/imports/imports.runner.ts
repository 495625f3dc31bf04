/**
 * The import job: reads the stored CSV a piece at a time and writes its rows in batches. Each
 * batch (its leads or activities, its row errors, the cursor and the counts) is one
 * transaction, so a job that dies loses the batch in flight and nothing else: the retry reads
 * the file again from the top, passes over the rows up to the committed cursor and goes on, and
 * no row is written twice. A file that cannot be read (malformed CSV) fails the import with the
 * reason; the rows committed before stay, as the cursor says.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { JobContext } from '../../jobs/index.js';
import { recordAudit } from '../audit/index.js';
import { LeadWriteConflict } from '../leads/index.js';
import { CsvError, readCsv } from './imports.csv.js';
import { type MappedColumn, mapColumns } from './imports.mapping.js';
import * as repository from './imports.repository.js';
import { type RowOutcome, writeActivityRows, writeLeadRows } from './imports.rows.js';
import type { Import } from './imports.schemas.js';
import { toImport } from './imports.service.js';
import { readUpload } from './imports.upload.js';

export interface ImportRunDeps {
  readonly db: Kysely<DB>;
  /** The clock activities' timestamps are judged by (none may be in the future). */
  readonly now?: (() => Date) | undefined;
  /** Rows per transaction; default 1,000. */
  readonly batchSize?: number | undefined;
  /** Hears the import after each committed batch (the CLI's progress bar). */
  readonly afterBatch?: ((progress: Import) => Promise<void> | void) | undefined;
}

const DEFAULT_BATCH_SIZE = 1000;
/** Tries of a batch that meets a lead created by another writer meanwhile. */
const CONFLICT_TRIES = 3;

interface Row {
  readonly number: number;
  readonly cells: string[];
  /** How far into the file the row ends. */
  readonly bytes: number;
}

export async function runImport(
  deps: ImportRunDeps,
  payload: { organizationId: string; importId: string },
  job: JobContext,
): Promise<void> {
  const { organizationId, importId } = payload;
  const row = await repository.findImport(deps.db, organizationId, importId);
  if (!row || (row.status !== 'queued' && row.status !== 'running')) return;
  try {
    if (row.status === 'queued') {
      await repository.setStatus(deps.db, organizationId, importId, {
        status: 'running',
        at: now(deps),
      });
    }
    await importRows(deps, row);
  } catch (error) {
    if (error instanceof CsvError) {
      await fail(deps, payload, `The file is not valid CSV: ${error.message}`);
      return;
    }
    if (job.retryCount >= job.retryLimit) {
      await fail(deps, payload, `The import failed unexpectedly: ${String(error)}`);
    }
    throw error;
  }
}

async function importRows(deps: ImportRunDeps, start: repository.ImportRow): Promise<void> {
  const { organization_id: organizationId, id } = start;
  const limit = deps.batchSize ?? DEFAULT_BATCH_SIZE;
  let columns: MappedColumn[] | undefined;
  let headerLength = 0;
  let number = 0;
  let batch: Row[] = [];
  const records = readCsv(readUpload(deps.db, organizationId, id), start.delimiter);
  for await (const { cells, bytes } of records) {
    if (!columns) {
      const mapped = mapColumns(start.kind, cells, start.mapping as Record<string, string> | null);
      // Checked on upload: only a file changed since could fail here.
      if (mapped.problems.length > 0) throw new Error('the header no longer fits the mapping');
      columns = mapped.columns;
      headerLength = cells.length;
      continue;
    }
    number += 1;
    if (number <= start.rows_committed) continue;
    batch.push({ number, cells, bytes });
    if (batch.length < limit) continue;
    if (!(await commitBatch(deps, start, { columns, headerLength, rows: batch }))) return;
    batch = [];
  }
  if (columns && batch.length > 0) {
    if (!(await commitBatch(deps, start, { columns, headerLength, rows: batch }))) return;
  }
  await finish(deps, start, number);
}

interface Batch {
  readonly columns: readonly MappedColumn[];
  readonly headerLength: number;
  readonly rows: readonly Row[];
}

/**
 * Writes one batch with its errors and progress, in one transaction. False: another run of
 * the job has committed past it, or the import is no longer running; this run stops.
 */
async function commitBatch(
  deps: ImportRunDeps,
  start: repository.ImportRow,
  batch: Batch,
): Promise<boolean> {
  const { organization_id: organizationId, id } = start;
  const first = batch.rows[0]?.number ?? 0;
  const last = batch.rows.at(-1) as Row;
  for (let tries = 1; ; tries++) {
    try {
      const progress = await deps.db.transaction().execute(async (trx) => {
        const current = await repository.findImport(trx, organizationId, id, { lock: true });
        if (current?.status !== 'running' || current.rows_committed !== first - 1) return null;
        const rows = {
          organizationId,
          columns: batch.columns,
          headerLength: batch.headerLength,
          rows: batch.rows.map((row) => row.cells),
        };
        const outcomes =
          current.kind === 'leads'
            ? await writeLeadRows(trx, rows, current.on_duplicate ?? 'update')
            : await writeActivityRows(trx, rows, now(deps));
        const errors = outcomes.flatMap((outcome, index) =>
          outcome.kind === 'rejected'
            ? outcome.errors.map((error) => ({ row: batch.rows[index]?.number ?? 0, ...error }))
            : [],
        );
        await repository.insertErrors(trx, organizationId, id, errors);
        const counts = countOutcomes(outcomes);
        await recordAudit(trx, {
          organizationId,
          actorType: current.created_by_type,
          actorId: current.created_by,
          action: `${current.kind}.imported`,
          targetType: 'import',
          targetId: id,
          details: { rows: [first, last.number], ...counts },
        });
        return repository.recordBatch(trx, organizationId, id, {
          rowsCommitted: last.number,
          bytesCommitted: last.bytes,
          ...counts,
        });
      });
      if (!progress) return false;
      await deps.afterBatch?.(toImport(progress));
      return true;
    } catch (error) {
      if (!(error instanceof LeadWriteConflict) || tries >= CONFLICT_TRIES) throw error;
    }
  }
}

interface Counts {
  inserted: number;
  updated: number;
  unchanged: number;
  skipped: number;
  failed: number;
}

function countOutcomes(outcomes: readonly RowOutcome[]): Counts {
  const counts: Counts = { inserted: 0, updated: 0, unchanged: 0, skipped: 0, failed: 0 };
  for (const outcome of outcomes) counts[outcome.kind === 'rejected' ? 'failed' : outcome.kind]++;
  return counts;
}

/** Every row is committed: the import has succeeded, and its upload goes. */
async function finish(deps: ImportRunDeps, start: repository.ImportRow, rows: number) {
  const { organization_id: organizationId, id } = start;
  await deps.db.transaction().execute(async (trx) => {
    const current = await repository.findImport(trx, organizationId, id, { lock: true });
    if (current?.status !== 'running' || current.rows_committed !== rows) return;
    await repository.setStatus(trx, organizationId, id, {
      status: 'succeeded',
      at: now(deps),
    });
    await repository.deleteChunks(trx, organizationId, id);
  });
}

/** Ends an import still in flight as failed, with the reason; the committed rows stay. */
async function fail(
  deps: ImportRunDeps,
  payload: { organizationId: string; importId: string },
  reason: string,
) {
  const { organizationId, importId } = payload;
  await deps.db.transaction().execute(async (trx) => {
    const current = await repository.findImport(trx, organizationId, importId, { lock: true });
    if (current?.status !== 'queued' && current?.status !== 'running') return;
    await repository.setStatus(trx, organizationId, importId, {
      status: 'failed',
      at: now(deps),
      error: `${reason} ${landed(current.rows_committed)}`,
    });
    await repository.deleteChunks(trx, organizationId, importId);
  });
}

function landed(rows: number): string {
  if (rows === 0) return 'No row was imported.';
  return `Rows 1 to ${rows} were imported (each written or reported in the errors); the rest were not.`;
}

function now(deps: ImportRunDeps): Date {
  return deps.now?.() ?? new Date();
}
