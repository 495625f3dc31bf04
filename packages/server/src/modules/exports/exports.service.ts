import type { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { DatabaseEngine } from '../../db/connection.js';
import type { DB, ExportFormat, ExportKind } from '../../db/schema.js';
import { AppError, HttpErrors } from '../../http/errors.js';
import { decodeNewestFirstCursor, toPage } from '../../http/pagination.js';
import type { JobQueue } from '../../jobs/index.js';
import type { ExportStorage } from '../../storage/index.js';
import { type AuditEntry, recordAudit } from '../audit/index.js';
import type { LeadFilters } from '../leads/index.js';
import { FORMATS, negotiateFormat } from './export-formats.js';
import { type ExportDatabase, type ExportSourceOptions, exportChunks } from './export-source.js';
import { ExportsErrors } from './exports.errors.js';
import * as repository from './exports.repository.js';
import {
  type CreateExportBody,
  type Export,
  type ExportFilters,
  FILTERS_OF_KIND,
  type ListExportsQuery,
} from './exports.schemas.js';

export interface ExportsDeps {
  readonly db: Kysely<DB>;
  /** PostgreSQL exports read through a cursor (see export-source); unset: pages. */
  readonly engine?: DatabaseEngine | undefined;
  readonly jobs: JobQueue;
  /** Where background exports write their files, and downloads read them. */
  readonly storage: ExportStorage;
  readonly now?: (() => Date) | undefined;
}

/** Who asks for an export, from where: the audit trail records every export of personal data. */
export type ExportContext = Pick<
  AuditEntry,
  'organizationId' | 'actorType' | 'actorId' | 'ip' | 'userAgent' | 'requestId'
>;

/** The format asked for by `?format=` or else by the Accept header (406 when neither fits). */
export function chooseFormat(
  format: ExportFormat | undefined,
  accept: string | undefined,
): ExportFormat {
  const chosen = format ?? negotiateFormat(accept);
  if (chosen === null) {
    throw new AppError(
      ExportsErrors.NOT_ACCEPTABLE,
      `Accept "${accept}" names neither text/csv nor application/x-ndjson`,
    );
  }
  return chosen;
}

/**
 * The organisation's leads that match the filters, as the chunks of a file, recorded in the
 * audit trail when asked for (an export cut short still showed the data). GET /exports/leads
 * streams them; `leadscore export leads` writes them to stdout.
 */
export async function exportLeads(
  deps: ExportDatabase & { readonly now?: (() => Date) | undefined },
  context: ExportContext,
  request: { format: ExportFormat; filters: LeadFilters },
  options: ExportSourceOptions = {},
): Promise<{ chunks: AsyncGenerator<Buffer>; contentType: string; filename: string }> {
  const { format, filters } = request;
  await recordAudit(deps.db, {
    ...context,
    action: 'export.streamed',
    targetType: 'leads',
    details: { format, filters },
  });
  const at = (deps.now ?? (() => new Date()))();
  return {
    chunks: exportChunks(deps, context.organizationId, { kind: 'leads', format, filters }, options),
    contentType: FORMATS[format].contentType,
    filename: `leads-${at.toISOString().replace(/[-:]|\.\d+/g, '')}.${FORMATS[format].extension}`,
  };
}

/**
 * Queues a background export. The row, its job and the audit entry commit together: the job
 * exists exactly when the export does.
 */
export async function createExport(
  deps: ExportsDeps,
  context: ExportContext,
  body: CreateExportBody,
): Promise<Export> {
  const { kind, format } = body;
  const filters = body.filters ?? {};
  checkFiltersFit(kind, filters);
  const { organizationId } = context;
  // Before the transaction: on the embedded database it would hold the connection starting needs.
  await deps.jobs.start();
  const row = await deps.db.transaction().execute(async (trx) => {
    const inserted = await repository.insertExport(trx, {
      organizationId,
      kind,
      format,
      filters,
      requestedBy: context.actorType === 'user' ? context.actorId : null,
      createdAt: (deps.now ?? (() => new Date()))(),
    });
    const jobId = await deps.jobs.send(
      'exports.run',
      { organizationId, exportId: inserted.id },
      { db: trx },
    );
    await recordAudit(trx, {
      ...context,
      action: 'export.requested',
      targetType: 'export',
      targetId: inserted.id,
      details: { kind, format, filters },
    });
    return repository.updateExport(trx, organizationId, inserted.id, { job_id: jobId });
  });
  return toExport(row);
}

export async function getExport(
  deps: Pick<ExportsDeps, 'db'>,
  organizationId: string,
  id: string,
): Promise<Export> {
  return toExport(await requireExport(deps.db, organizationId, id));
}

export async function listExports(
  deps: Pick<ExportsDeps, 'db'>,
  organizationId: string,
  query: ListExportsQuery,
): Promise<{ data: Export[]; nextCursor: string | null }> {
  const rows = await repository.listExports(deps.db, organizationId, {
    limit: query.limit,
    after: query.cursor === undefined ? undefined : decodeNewestFirstCursor(query.cursor),
  });
  const page = toPage(rows, query.limit, (row) => [row.created_at.toISOString(), row.id]);
  return { data: page.data.map(toExport), nextCursor: page.nextCursor };
}

/** A finished export's file, to download: 409 while it has none, 410 when it is gone. */
export async function openDownload(
  deps: Pick<ExportsDeps, 'db' | 'storage'>,
  context: ExportContext,
  id: string,
): Promise<{ body: Readable; contentType: string; filename: string; bytes: number | null }> {
  const row = await requireExport(deps.db, context.organizationId, id);
  if (row.status !== 'succeeded' || row.object_key === null) {
    throw new AppError(
      ExportsErrors.NOT_READY,
      row.status === 'failed' ? (row.error ?? 'The export failed') : `The export is ${row.status}`,
      { exportStatus: row.status },
    );
  }
  const body = row.storage === deps.storage.kind ? await deps.storage.read(row.object_key) : null;
  if (body === null) {
    throw new AppError(
      ExportsErrors.FILE_GONE,
      row.storage === deps.storage.kind
        ? 'The export file is no longer in the export storage'
        : `The file is in ${row.storage === 's3' ? 'S3' : 'DATA_DIR'} storage, which this server does not use now`,
    );
  }
  try {
    await recordAudit(deps.db, {
      ...context,
      action: 'export.downloaded',
      targetType: 'export',
      targetId: id,
    });
  } catch (error) {
    body.destroy();
    throw error;
  }
  const { extension, contentType } = FORMATS[row.format];
  return { body, contentType, filename: `${row.kind}-${row.id}.${extension}`, bytes: row.bytes };
}

/** A filter of another kind of export is refused by name, not silently ignored. */
function checkFiltersFit(kind: ExportKind, filters: ExportFilters): void {
  const misplaced = Object.keys(filters).filter((name) => !FILTERS_OF_KIND[kind].has(name));
  if (misplaced.length === 0) return;
  const errors = misplaced.map((name) => ({
    in: 'body',
    field: `filters.${name}`,
    message: `does not apply to ${kind} exports`,
  }));
  throw new AppError(
    HttpErrors.VALIDATION_FAILED,
    errors.map((e) => `body.${e.field}: ${e.message}`).join('; '),
    { errors },
  );
}

async function requireExport(db: Kysely<DB>, organizationId: string, id: string) {
  const row = await repository.findExport(db, organizationId, id);
  if (!row) throw new AppError(ExportsErrors.NOT_FOUND, `No export ${id} in your organisation`);
  return row;
}

export function toExport(row: repository.ExportRow): Export {
  return {
    id: row.id,
    kind: row.kind,
    format: row.format,
    filters: row.filters as Record<string, unknown>,
    status: row.status,
    rows: row.row_count,
    bytes: row.bytes,
    error: row.error,
    downloadUrl: row.status === 'succeeded' ? `/exports/${row.id}/download` : null,
    createdAt: row.created_at.toISOString(),
    startedAt: row.started_at?.toISOString() ?? null,
    finishedAt: row.finished_at?.toISOString() ?? null,
  };
}
