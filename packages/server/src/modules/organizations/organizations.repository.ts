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
