import { type Kysely, type Selectable, sql } from 'kysely';
import { type NewestFirstPage, newestFirst } from '../../db/newest-first.js';
import type { DB, ExportFormat, ExportKind, ExportsTable } from '../../db/schema.js';

/* All SQL of background exports (`exports`, migration 0010), every statement scoped by the organisation. */

export type ExportRow = Selectable<ExportsTable>;

export async function insertExport(
  db: Kysely<DB>,
  values: {
    organizationId: string;
    kind: ExportKind;
    format: ExportFormat;
    filters: Record<string, unknown>;
    requestedBy: string | null;
    /** From the app's clock, in milliseconds as list cursors carry it. */
    createdAt: Date;
  },
): Promise<ExportRow> {
  return db
    .insertInto('exports')
    .values({
      organization_id: values.organizationId,
      kind: values.kind,
      format: values.format,
      filters: JSON.stringify(values.filters),
      requested_by: values.requestedBy,
      created_at: values.createdAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findExport(
  db: Kysely<DB>,
  organizationId: string,
  id: string,
): Promise<ExportRow | undefined> {
  return db
    .selectFrom('exports')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** A page of the organisation's exports, newest first, plus one. */
export async function listExports(
  db: Kysely<DB>,
  organizationId: string,
  page: NewestFirstPage,
): Promise<ExportRow[]> {
  return newestFirst(
    db.selectFrom('exports').selectAll().where('organization_id', '=', organizationId),
    page,
  ).execute();
}

type ExportChange = Partial<
  Pick<
    ExportRow,
    | 'status'
    | 'row_count'
    | 'bytes'
    | 'storage'
    | 'object_key'
    | 'error'
    | 'job_id'
    | 'started_at'
    | 'finished_at'
  >
>;

export async function updateExport(
  db: Kysely<DB>,
  organizationId: string,
  id: string,
  change: ExportChange,
): Promise<ExportRow> {
  return db
    .updateTable('exports')
    .set({ ...change, updated_at: sql`now()` })
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Ends an export still in flight as failed; one that succeeded meanwhile stays so. */
export async function failExport(
  db: Kysely<DB>,
  organizationId: string,
  id: string,
  failure: { error: string; finishedAt: Date },
): Promise<void> {
  await db
    .updateTable('exports')
    .set({
      status: 'failed',
      error: failure.error,
      finished_at: failure.finishedAt,
      updated_at: sql`now()`,
    })
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .where('status', 'in', ['queued', 'running'])
    .execute();
}
