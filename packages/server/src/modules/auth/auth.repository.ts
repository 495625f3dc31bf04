import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.js';

export async function findUserByEmail(db: Kysely<DB>, email: string) {
  return db
    .selectFrom('users')
    .select(['id', 'organization_id', 'email', 'password_hash', 'role', 'is_active'])
    .where('email', '=', email)
    .executeTakeFirst();
}

/** The user with their organisation, for building a caller's identity. */
export async function findActiveUser(db: Kysely<DB>, userId: string, organizationId: string) {
  return db
    .selectFrom('users')
    .innerJoin('organizations', 'organizations.id', 'users.organization_id')
    .select([
      'users.id',
      'users.organization_id',
      'users.email',
      'users.first_name',
      'users.last_name',
      'users.role',
      'organizations.name as organization_name',
    ])
    .where('users.id', '=', userId)
    .where('users.organization_id', '=', organizationId)
    .where('users.is_active', '=', true)
    .executeTakeFirst();
}

export async function touchLastLogin(db: Kysely<DB>, userId: string): Promise<void> {
  await db
    .updateTable('users')
    .set({ last_login_at: new Date() })
    .where('id', '=', userId)
    .execute();
}

export async function insertRefreshToken(
  db: Kysely<DB>,
  token: {
    organizationId: string;
    userId: string;
    familyId: string;
    hash: Buffer;
    expiresAt: Date;
  },
): Promise<void> {
  await db
    .insertInto('refresh_tokens')
    .values({
      organization_id: token.organizationId,
      user_id: token.userId,
      family_id: token.familyId,
      token_hash: token.hash,
      expires_at: token.expiresAt,
    })
    .execute();
}

/** Locks the row, so two refreshes with one token are decided one after the other. */
export async function findRefreshTokenForUpdate(db: Kysely<DB>, hash: Buffer) {
  return db
    .selectFrom('refresh_tokens')
    .select([
      'id',
      'organization_id',
      'user_id',
      'family_id',
      'expires_at',
      'rotated_at',
      'revoked_at',
    ])
    .where('token_hash', '=', hash)
    .forUpdate()
    .executeTakeFirst();
}

export async function markRotated(db: Kysely<DB>, id: string): Promise<void> {
  await db
    .updateTable('refresh_tokens')
    .set({ rotated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

export async function revokeFamily(db: Kysely<DB>, familyId: string): Promise<void> {
  await db
    .updateTable('refresh_tokens')
    .set({ revoked_at: new Date() })
    .where('family_id', '=', familyId)
    .where('revoked_at', 'is', null)
    .execute();
}

export async function countRecentLoginFailures(
  db: Kysely<DB>,
  by: { emailHash: Buffer; ip: string | undefined },
  since: Date,
): Promise<{ account: number; address: number }> {
  const { rows } = await sql<{ account: number; address: number }>`
    select
      (select count(*)::int from login_failures
        where email_hash = ${by.emailHash} and failed_at > ${since}) as account,
      (select count(*)::int from login_failures
        where ip = ${by.ip ?? null}::inet and failed_at > ${since}) as address`.execute(db);
  return rows[0] ?? { account: 0, address: 0 };
}

export async function recordLoginFailure(
  db: Kysely<DB>,
  failure: { emailHash: Buffer; ip: string | undefined },
  forgetBefore: Date,
): Promise<void> {
  await db
    .insertInto('login_failures')
    .values({ email_hash: failure.emailHash, ip: failure.ip ?? null })
    .execute();
  // Old failures no longer count; dropping them here keeps the table small without a job.
  await db.deleteFrom('login_failures').where('failed_at', '<', forgetBefore).execute();
}

export async function clearLoginFailures(db: Kysely<DB>, emailHash: Buffer): Promise<void> {
  await db.deleteFrom('login_failures').where('email_hash', '=', emailHash).execute();
}

/** Ends every login of a user; callers pass their transaction (e.g. deactivation's). */
export async function revokeUserSessions(
  db: Kysely<DB>,
  organizationId: string,
  userId: string,
): Promise<void> {
  await db
    .updateTable('refresh_tokens')
    .set({ revoked_at: new Date() })
    .where('organization_id', '=', organizationId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .execute();
}
