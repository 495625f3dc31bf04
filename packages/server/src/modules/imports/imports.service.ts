/**
 * Imports: a CSV upload is stored, checked (its header against the mapping) and queued as a
 * job (imports.runner.ts), which writes its rows in batches. Reads of an import and of its
 * validation report.
 */
import type { Kysely } from 'kysely';
import type { DB, ImportKind } from '../../db/schema.js';
import { AppError } from '../../http/errors.js';
import {
  decodeCursor,
  decodeNewestFirstCursor,
  invalidCursor,
  toPage,
} from '../../http/pagination.js';
import type { JobQueue } from '../../jobs/index.js';
import { type AuditEntry, recordAudit } from '../audit/index.js';
import { CsvError, readHeader } from './imports.csv.js';
import { ImportsErrors } from './imports.errors.js';
import { mapColumns } from './imports.mapping.js';
import { type ImportOptions, invalidForm, readOptions } from './imports.options.js';
import * as repository from './imports.repository.js';
import type {
  Import,
  ImportError,
  ImportErrorsQuery,
  ListImportsQuery,
} from './imports.schemas.js';
import { CHUNK_BYTES, type StoredUpload, storeUpload } from './imports.upload.js';

export interface ImportsDeps {
  readonly db: Kysely<DB>;
  /** Where the import's job goes; absent: the caller runs the import itself (the CLI does). */
  readonly jobs?: JobQueue | undefined;
}

/** Who imports, from where: it scopes the import and fills its audit entries. */
export type ImportContext = Pick<
  AuditEntry,
  'organizationId' | 'actorType' | 'actorId' | 'ip' | 'userAgent' | 'requestId'
>;

/** A part of the form, as it streams in: a text field, or the file (read before the next part). */
export type FormPart =
  | { readonly type: 'field'; readonly name: string; readonly value: string }
  | {
      readonly type: 'file';
      readonly name: string;
      readonly fileName: string | null;
      readonly content: AsyncIterable<Uint8Array>;
    };

/**
 * Stores the form's file and, once the form is read and found good, queues its import (in one
 * transaction with its job). Fields may come before or after the file; a bad one that comes
 * before it is refused before anything is stored. Whatever is refused leaves nothing behind.
 */
export async function createImport(
  deps: ImportsDeps,
  context: ImportContext,
  kind: ImportKind,
  form: AsyncIterable<FormPart>,
): Promise<Import> {
  const { organizationId } = context;
  const fields = new Map<string, string>();
  let stored: { id: string; fileName: string | null; upload?: StoredUpload } | undefined;
  try {
    for await (const part of form) {
      if (part.type === 'field') {
        if (fields.has(part.name)) throw invalidField(part.name, 'is given twice');
        fields.set(part.name, part.value);
        readOptions(kind, fields);
        continue;
      }
      if (part.name !== 'file') {
        throw invalidField(part.name, 'is not a field of this form: send the CSV as file');
      }
      if (stored) throw invalidField('file', 'is given twice: send one CSV per import');
      const row = await repository.insertImport(deps.db, {
        organizationId,
        kind,
        fileName: part.fileName,
        createdByType: context.actorType,
        createdBy: context.actorId,
      });
      stored = { id: row.id, fileName: part.fileName };
      stored.upload = await storeUpload(deps.db, organizationId, row.id, part.content);
    }
    if (!stored?.upload) throw invalidField('file', 'is required: the CSV to import');
    const options = readOptions(kind, fields);
    checkHeader(kind, stored.upload, options);
    return await queue(deps, context, { id: stored.id, kind, bytes: stored.upload.bytes }, options);
  } catch (error) {
    if (stored) await repository.deleteImport(deps.db, organizationId, stored.id);
    throw error;
  }
}

/** A header the mapping fits, or a 400 naming what does not. */
function checkHeader(kind: ImportKind, upload: StoredUpload, options: ImportOptions): void {
  let header: string[] | undefined;
  try {
    header = readHeader(upload.head, upload.complete, options.delimiter);
  } catch (error) {
    if (error instanceof CsvError) throw invalidField('file', `is not valid CSV: ${error.message}`);
    throw error;
  }
  if (!header) {
    throw invalidField(
      'file',
      upload.bytes === 0
        ? 'is empty: a CSV with a header row is needed'
        : `has a header row longer than ${CHUNK_BYTES} bytes`,
    );
  }
  const { problems } = mapColumns(kind, header, options.mapping);
  if (problems.length > 0) throw invalidForm(problems);
}

async function queue(
  deps: ImportsDeps,
  context: ImportContext,
  upload: { id: string; kind: ImportKind; bytes: number },
  options: ImportOptions,
): Promise<Import> {
  const { organizationId } = context;
  // Before the transaction: on PGlite, starting the queue needs the connection it would hold.
  await deps.jobs?.start();
  return deps.db.transaction().execute(async (trx) => {
    let row = await repository.markQueued(trx, organizationId, upload.id, {
      fileBytes: upload.bytes,
      ...options,
    });
    if (deps.jobs) {
      const jobId = await deps.jobs.send(
        'imports.run',
        { organizationId, importId: upload.id },
        { db: trx },
      );
      row = await repository.setJob(trx, organizationId, upload.id, jobId);
    }
    await recordAudit(trx, {
      ...context,
      action: 'import.created',
      targetType: 'import',
      targetId: upload.id,
      details: { kind: upload.kind, fileName: row.file_name, fileBytes: upload.bytes },
    });
    return toImport(row);
  });
}

export async function getImport(
  deps: Pick<ImportsDeps, 'db'>,
  organizationId: string,
  id: string,
): Promise<Import> {
  return toImport(await requireImport(deps.db, organizationId, id));
}

export async function listImports(
  deps: Pick<ImportsDeps, 'db'>,
  organizationId: string,
  query: ListImportsQuery,
) {
  const after = query.cursor === undefined ? undefined : decodeNewestFirstCursor(query.cursor);
  const rows = await repository.listImports(
    deps.db,
    organizationId,
    { kind: query.kind },
    { after, limit: query.limit },
  );
  const page = toPage(rows, query.limit, (row) => [row.created_at.toISOString(), row.id]);
  return { data: page.data.map(toImport), nextCursor: page.nextCursor };
}

/** The import's validation report in file order: each refused row with each of its reasons. */
export async function listImportErrors(
  deps: Pick<ImportsDeps, 'db'>,
  organizationId: string,
  id: string,
  query: ImportErrorsQuery,
): Promise<{ data: ImportError[]; nextCursor: string | null }> {
  await requireImport(deps.db, organizationId, id);
  const rows = await repository.listErrors(deps.db, organizationId, id, {
    after: query.cursor === undefined ? undefined : errorsKeyset(query.cursor),
    limit: query.limit,
  });
  const page = toPage(rows, query.limit, (row) => [row.row_number, row.position]);
  return {
    data: page.data.map((row) => ({
      row: row.row_number,
      column: row.column_name,
      field: row.field,
      reason: row.reason,
    })),
    nextCursor: page.nextCursor,
  };
}

function errorsKeyset(cursor: string): { row: number; position: number } {
  const [row, position] = decodeCursor(cursor, 2);
  if (Number.isSafeInteger(row) && Number.isSafeInteger(position)) {
    return { row: row as number, position: position as number };
  }
  throw invalidCursor();
}

async function requireImport(db: Kysely<DB>, organizationId: string, id: string) {
  const row = await repository.findImport(db, organizationId, id);
  if (!row) throw new AppError(ImportsErrors.NOT_FOUND, `No import ${id} in your organisation`);
  return row;
}

export function toImport(row: repository.ImportRow): Import {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    fileName: row.file_name,
    fileBytes: Number(row.file_bytes),
    mapping: row.mapping as Record<string, string> | null,
    onDuplicate: row.on_duplicate,
    delimiter: row.delimiter,
    rowsCommitted: row.rows_committed,
    bytesCommitted: Number(row.bytes_committed),
    inserted: row.inserted,
    updated: row.updated,
    unchanged: row.unchanged,
    skipped: row.skipped,
    failed: row.failed,
    error: row.error,
    createdAt: row.created_at.toISOString(),
    startedAt: row.started_at?.toISOString() ?? null,
    finishedAt: row.finished_at?.toISOString() ?? null,
  };
}

function invalidField(field: string, message: string): AppError {
  return invalidForm([{ in: 'body', field, message }]);
}
