import type { Kysely } from 'kysely';
import type { DB, UserRole } from '../../db/schema.js';

export interface NewUserRow {
  organizationId: string;
  email: string;
  passwordHash: string;
  role: UserRole;
  firstName?: string;
  lastName?: string;
}

export async function insertUser(db: Kysely<DB>, user: NewUserRow): Promise<{ id: string }> {
  return db
    .insertInto('users')
    .values({
      organization_id: user.organizationId,
      email: user.email,
      password_hash: user.passwordHash,
      role: user.role,
      first_name: user.firstName ?? null,
      last_name: user.lastName ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function emailIsTaken(db: Kysely<DB>, email: string): Promise<boolean> {
  const row = await db
    .selectFrom('users')
    .select('id')
    .where('email', '=', email)
    .executeTakeFirst();
  return row !== undefined;
}
