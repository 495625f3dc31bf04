import { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { DatabaseEngine } from '../../db/connection.js';
import type { DB } from '../../db/schema.js';
import type { JobContext, JobHandlers, JobPayloads } from '../../jobs/index.js';
import type { ExportStorage } from '../../storage/index.js';
import { FORMATS } from './export-formats.js';
import { exportChunks } from './export-source.js';
import * as repository from './exports.repository.js';
import type { ExportFilters } from './exports.schemas.js';

export interface ExportJobDeps {
  readonly db: Kysely<DB>;
  /** PostgreSQL exports read through a cursor (see export-source); unset: pages. */
  readonly engine?: DatabaseEngine | undefined;
  readonly storage: ExportStorage;
  /** Rows per query (default: export-source's). */
  readonly pageSize?: number | undefined;
  readonly now?: (() => Date) | undefined;
}

/** The exports module's background job. */
export function exportJobHandlers(deps: ExportJobDeps): Pick<JobHandlers, 'exports.run'> {
  return { 'exports.run': (payload, context) => runExport(deps, payload, context) };
}

/**
 * Writes an export's file. Every run starts the file from the beginning (its rows counted
 * from zero) and the storage replaces the file only once it is whole, so a run retried after
 * a crash leaves one complete file with each row once. The row count is committed with each
 * page, for GET /exports/{id} to show progress. The last allowed run that fails marks the
 * export failed.
 */
export async function runExport(
  deps: ExportJobDeps,
  payload: JobPayloads['exports.run'],
  job: JobContext,
): Promise<void> {
  const { db } = deps;
  const { organizationId, exportId } = payload;
  const clock = deps.now ?? (() => new Date());
  const row = await repository.findExport(db, organizationId, exportId);
  // Gone with its organisation, or finished by an earlier run of a job thought lost.
  if (!row || row.status === 'succeeded' || row.status === 'failed') return;
  const { contentType, extension } = FORMATS[row.format];
  const key = `${organizationId}/${exportId}.${extension}`;
  let rows = 0;
  try {
    await repository.updateExport(db, organizationId, exportId, {
      status: 'running',
      row_count: 0,
      bytes: null,
      error: null,
      started_at: clock(),
    });
    const chunks = exportChunks(
      deps,
      organizationId,
      { kind: row.kind, format: row.format, filters: row.filters as ExportFilters },
      {
        pageSize: deps.pageSize,
        onPage: async (count) => {
          rows += count;
          await repository.updateExport(db, organizationId, exportId, { row_count: rows });
        },
      },
    );
    const { bytes } = await deps.storage.write(key, Readable.from(chunks, { objectMode: false }), {
      contentType,
    });
    await repository.updateExport(db, organizationId, exportId, {
      status: 'succeeded',
      row_count: rows,
      bytes,
      storage: deps.storage.kind,
      object_key: key,
      finished_at: clock(),
    });
  } catch (error) {
    if (job.retryCount >= job.retryLimit) {
      await repository.failExport(db, organizationId, exportId, {
        error: `The export failed: ${String(error)}`,
        finishedAt: clock(),
      });
    }
    throw error;
  }
}
