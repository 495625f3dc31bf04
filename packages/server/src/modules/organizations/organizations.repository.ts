import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';

export async function insertOrganization(
  db: Kysely<DB>,
  organization: { name: string; slug: string },
): Promise<{ id: string }> {
  return db
    .insertInto('organizations')
    .values(organization)
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function anyOrganizationExists(db: Kysely<DB>): Promise<boolean> {
  const row = await db.selectFrom('organizations').select('id').limit(1).executeTakeFirst();
  return row !== undefined;
}

export async function slugIsTaken(db: Kysely<DB>, slug: string): Promise<boolean> {
  const row = await db
    .selectFrom('organizations')
    .select('id')
    .where('slug', '=', slug)
    .executeTakeFirst();
  return row !== undefined;
}

const ORGANIZATION_COLUMNS = ['id', 'name', 'slug', 'domain', 'created_at'] as const;

export async function findOrganization(
  db: Kysely<DB>,
  id: string,
  options: { forUpdate?: boolean } = {},
) {
  const query = db.selectFrom('organizations').select(ORGANIZATION_COLUMNS).where('id', '=', id);
  return (options.forUpdate ? query.forUpdate() : query).executeTakeFirstOrThrow();
}

export async function updateOrganization(
  db: Kysely<DB>,
  id: string,
  changes: { name?: string | undefined; domain?: string | null | undefined },
) {
  return db
    .updateTable('organizations')
    .set({ ...changes, updated_at: new Date() })
    .where('id', '=', id)
    .returning(ORGANIZATION_COLUMNS)
    .executeTakeFirstOrThrow();
}
