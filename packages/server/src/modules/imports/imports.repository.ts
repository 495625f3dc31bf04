import { type Kysely, type Selectable, sql } from 'kysely';
import { type NewestFirstPage, newestFirst } from '../../db/newest-first.js';
import type {
  DB,
  ImportKind,
  ImportOnDuplicate,
  ImportStatus,
  ImportsTable,
} from '../../db/schema.js';

/* All SQL of imports (migration 0011), every statement scoped by the organisation. */

export type ImportRow = Selectable<ImportsTable>;

export async function insertImport(
  db: Kysely<DB>,
  values: {
    organizationId: string;
    kind: ImportKind;
    fileName: string | null;
    createdByType: ImportRow['created_by_type'];
    createdBy: string | null;
  },
): Promise<ImportRow> {
  return db
    .insertInto('imports')
    .values({
      organization_id: values.organizationId,
      kind: values.kind,
      file_name: values.fileName,
      created_by_type: values.createdByType,
      created_by: values.createdBy,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function insertChunk(
  db: Kysely<DB>,
  organizationId: string,
  importId: string,
  seq: number,
  data: Uint8Array,
): Promise<void> {
  await db
    .insertInto('import_chunks')
    .values({ import_id: importId, organization_id: organizationId, seq, data })
    .execute();
}

export async function findChunk(
  db: Kysely<DB>,
  organizationId: string,
  importId: string,
  seq: number,
): Promise<Uint8Array | undefined> {
  const row = await db
    .selectFrom('import_chunks')
    .select('data')
    .where('organization_id', '=', organizationId)
    .where('import_id', '=', importId)
    .where('seq', '=', seq)
    .executeTakeFirst();
  return row?.data;
}

export async function deleteImport(db: Kysely<DB>, organizationId: string, id: string) {
  await db
    .deleteFrom('imports')
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .execute();
}

/** The upload is complete and checked: the import waits for its job. */
export async function markQueued(
  db: Kysely<DB>,
  organizationId: string,
  id: string,
  values: {
    fileBytes: number;
    mapping: Readonly<Record<string, string>> | null;
    onDuplicate: ImportOnDuplicate | null;
    delimiter: string;
  },
): Promise<ImportRow> {
  return db
    .updateTable('imports')
    .set({
      status: 'queued',
      file_bytes: values.fileBytes,
      mapping: values.mapping === null ? null : JSON.stringify(values.mapping),
      on_duplicate: values.onDuplicate,
      delimiter: values.delimiter,
      updated_at: sql`now()`,
    })
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function setJob(db: Kysely<DB>, organizationId: string, id: string, jobId: string) {
  return db
    .updateTable('imports')
    .set({ job_id: jobId })
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * The import; with `lock`, row-locked until the transaction ends, so that two runs of one job
 * (a retry of a job thought lost that still runs) take turns on its progress.
 */
export async function findImport(
  db: Kysely<DB>,
  organizationId: string,
  id: string,
  options: { lock?: boolean } = {},
): Promise<ImportRow | undefined> {
  const query = db
    .selectFrom('imports')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('id', '=', id);
  return (options.lock ? query.forUpdate() : query).executeTakeFirst();
}

export async function listImports(
  db: Kysely<DB>,
  organizationId: string,
  filter: { kind?: ImportKind | undefined },
  page: NewestFirstPage,
): Promise<ImportRow[]> {
  let query = db.selectFrom('imports').selectAll().where('organization_id', '=', organizationId);
  if (filter.kind) query = query.where('kind', '=', filter.kind);
  return newestFirst(query, page).execute();
}

/** What a committed batch adds to the counts; the cursor moves to its last row. */
export interface BatchProgress {
  readonly rowsCommitted: number;
  readonly bytesCommitted: number;
  readonly inserted: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly skipped: number;
  readonly failed: number;
}

export async function recordBatch(
  db: Kysely<DB>,
  organizationId: string,
  id: string,
  batch: BatchProgress,
): Promise<ImportRow> {
  return db
    .updateTable('imports')
    .set((eb) => ({
      rows_committed: batch.rowsCommitted,
      bytes_committed: batch.bytesCommitted,
      inserted: eb('inserted', '+', batch.inserted),
      updated: eb('updated', '+', batch.updated),
      unchanged: eb('unchanged', '+', batch.unchanged),
      skipped: eb('skipped', '+', batch.skipped),
      failed: eb('failed', '+', batch.failed),
      updated_at: sql`now()`,
    }))
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function setStatus(
  db: Kysely<DB>,
  organizationId: string,
  id: string,
  change: {
    status: ImportStatus;
    at: Date;
    error?: string;
  },
): Promise<ImportRow> {
  const at = change.at.toISOString();
  const finished = change.status === 'succeeded' || change.status === 'failed';
  return db
    .updateTable('imports')
    .set({
      status: change.status,
      error: change.error ?? null,
      started_at: sql`coalesce(started_at, ${at}::timestamptz)`,
      ...(finished && { finished_at: sql`${at}::timestamptz` }),
      updated_at: sql`now()`,
    })
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Once an import has ended, its upload is of no further use. */
export async function deleteChunks(db: Kysely<DB>, organizationId: string, importId: string) {
  await db
    .deleteFrom('import_chunks')
    .where('organization_id', '=', organizationId)
    .where('import_id', '=', importId)
    .execute();
}

export interface NewImportError {
  readonly row: number;
  readonly column: string | null;
  readonly field: string;
  readonly reason: string;
}

/** A batch's row errors with one statement, as one JSON parameter (no parameter limit). */
export async function insertErrors(
  db: Kysely<DB>,
  organizationId: string,
  importId: string,
  errors: readonly NewImportError[],
): Promise<void> {
  if (errors.length === 0) return;
  // Numbered within their row: errors arrive grouped by row.
  let position = 0;
  const records = errors.map((error, index) => {
    position = index > 0 && errors[index - 1]?.row === error.row ? position + 1 : 0;
    return {
      row_number: error.row,
      position,
      column_name: error.column,
      field: error.field,
      reason: error.reason,
    };
  });
  await sql`
    insert into import_errors
      (import_id, organization_id, row_number, position, column_name, field, reason)
    select ${importId}, ${organizationId}, r.row_number, r.position, r.column_name, r.field,
      r.reason
    from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as r(row_number integer,
      position smallint, column_name text, field text, reason text)`.execute(db);
}

/** A page of an import's errors in file order, after (row, position), plus one row. */
export async function listErrors(
  db: Kysely<DB>,
  organizationId: string,
  importId: string,
  page: { after: { row: number; position: number } | undefined; limit: number },
) {
  let query = db
    .selectFrom('import_errors')
    .select(['row_number', 'position', 'column_name', 'field', 'reason'])
    .where('organization_id', '=', organizationId)
    .where('import_id', '=', importId)
    .orderBy('row_number')
    .orderBy('position')
    .limit(page.limit + 1);
  if (page.after) {
    query = query.where(
      sql<boolean>`(row_number, position) > (${page.after.row}, ${page.after.position})`,
    );
  }
  return query.execute();
}

/*
 * For the CLI's --org: the organisations module offers no lookup by slug, and an import is
 * the one place that needs it outside a request (where the caller's organisation is known).
 */
export async function findOrganizationIdBySlug(
  db: Kysely<DB>,
  slug: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('organizations')
    .select('id')
    .where('slug', '=', slug)
    .executeTakeFirst();
  return row?.id;
}

export async function listOrganizationSlugs(db: Kysely<DB>) {
  return db.selectFrom('organizations').select(['id', 'slug']).orderBy('slug').limit(50).execute();
}
