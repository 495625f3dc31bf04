import type { Kysely } from 'kysely';
import { type NewestFirstPage, newestFirst } from '../../db/newest-first.js';
import type { DB } from '../../db/schema.js';

const LISTED_COLUMNS = [
  'id',
  'name',
  'prefix',
  'scopes',
  'created_at',
  'created_by',
  'last_used_at',
  'expires_at',
  'revoked_at',
] as const;

export interface NewApiKeyRow {
  organizationId: string;
  name: string;
  prefix: string;
  hash: Buffer;
  scopes: string[];
  createdBy: string | null;
  expiresAt: Date | null;
  createdAt: Date;
}

/** The new key's row, or undefined when its prefix is already taken (the caller draws another). */
export async function insertApiKey(db: Kysely<DB>, key: NewApiKeyRow) {
  return db
    .insertInto('api_keys')
    .values({
      organization_id: key.organizationId,
      name: key.name,
      prefix: key.prefix,
      key_hash: key.hash,
      scopes: key.scopes,
      created_by: key.createdBy,
      expires_at: key.expiresAt,
      created_at: key.createdAt,
    })
    .onConflict((conflict) => conflict.column('prefix').doNothing())
    .returning(LISTED_COLUMNS)
    .executeTakeFirst();
}

/** Newest first; `after` is the (created_at, id) of the last row of the previous page. */
export async function listApiKeys(db: Kysely<DB>, organizationId: string, page: NewestFirstPage) {
  const query = db
    .selectFrom('api_keys')
    .select(LISTED_COLUMNS)
    .where('organization_id', '=', organizationId);
  return newestFirst(query, page).execute();
}

/** Locks the row so a revocation and its audit entry are decided once. */
export async function findApiKeyForUpdate(db: Kysely<DB>, organizationId: string, id: string) {
  return db
    .selectFrom('api_keys')
    .select(['id', 'name', 'prefix', 'revoked_at'])
    .where('id', '=', id)
    .where('organization_id', '=', organizationId)
    .forUpdate()
    .executeTakeFirst();
}

export async function markRevoked(db: Kysely<DB>, id: string, at: Date): Promise<void> {
  await db.updateTable('api_keys').set({ revoked_at: at }).where('id', '=', id).execute();
}

/** The key a request presents, looked up by its public prefix (across organisations: the key names its own). */
export async function findApiKeyByPrefix(db: Kysely<DB>, prefix: string) {
  return db
    .selectFrom('api_keys')
    .select([
      'id',
      'organization_id',
      'key_hash',
      'scopes',
      'last_used_at',
      'expires_at',
      'revoked_at',
    ])
    .where('prefix', '=', prefix)
    .executeTakeFirst();
}

/** Conditional, so concurrent requests of one key write at most once per interval. */
export async function touchLastUsed(
  db: Kysely<DB>,
  id: string,
  now: Date,
  staleBefore: Date,
): Promise<void> {
  await db
    .updateTable('api_keys')
    .set({ last_used_at: now })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', staleBefore)]))
    .execute();
}
