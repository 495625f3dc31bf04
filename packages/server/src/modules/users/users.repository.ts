import type { Kysely, Selectable, Updateable } from 'kysely';
import type { DB, UserRole, UsersTable } from '../../db/schema.js';

export interface NewUserRow {
  organizationId: string;
  email: string;
  passwordHash: string;
  role: UserRole;
  firstName?: string | undefined;
  lastName?: string | undefined;
}

/** Every column but the password hash, which never leaves this module. */
const USER_COLUMNS = [
  'id',
  'email',
  'first_name',
  'last_name',
  'role',
  'is_active',
  'last_login_at',
  'created_at',
  'updated_at',
] as const;

export type UserRow = Pick<Selectable<UsersTable>, (typeof USER_COLUMNS)[number]>;

export async function insertUser(db: Kysely<DB>, user: NewUserRow): Promise<UserRow> {
  return db
    .insertInto('users')
    .values(userValues(user))
    .returning(USER_COLUMNS)
    .executeTakeFirstOrThrow();
}

/** Inserts the user unless the email is taken, in any organisation; then undefined. */
export async function insertUserIfEmailFree(
  db: Kysely<DB>,
  user: NewUserRow,
): Promise<UserRow | undefined> {
  return db
    .insertInto('users')
    .values(userValues(user))
    .onConflict((conflict) => conflict.column('email').doNothing())
    .returning(USER_COLUMNS)
    .executeTakeFirst();
}

function userValues(user: NewUserRow) {
  return {
    organization_id: user.organizationId,
    email: user.email,
    password_hash: user.passwordHash,
    role: user.role,
    first_name: user.firstName ?? null,
    last_name: user.lastName ?? null,
  };
}

export async function emailIsTaken(db: Kysely<DB>, email: string): Promise<boolean> {
  const row = await db
    .selectFrom('users')
    .select('id')
    .where('email', '=', email)
    .executeTakeFirst();
  return row !== undefined;
}

export interface UserFilter {
  role?: UserRole | undefined;
  isActive?: boolean | undefined;
}

/** A page of the organisation's users by email (unique, so it is the whole keyset), plus one. */
export async function listUsers(
  db: Kysely<DB>,
  organizationId: string,
  filter: UserFilter,
  page: { afterEmail: string | undefined; limit: number },
): Promise<UserRow[]> {
  let query = db
    .selectFrom('users')
    .select(USER_COLUMNS)
    .where('organization_id', '=', organizationId)
    .orderBy('email')
    .limit(page.limit + 1);
  if (filter.role !== undefined) query = query.where('role', '=', filter.role);
  if (filter.isActive !== undefined) query = query.where('is_active', '=', filter.isActive);
  if (page.afterEmail !== undefined) query = query.where('email', '>', page.afterEmail);
  return query.execute();
}

export async function findUser(
  db: Kysely<DB>,
  organizationId: string,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<UserRow | undefined> {
  const query = db
    .selectFrom('users')
    .select(USER_COLUMNS)
    .where('organization_id', '=', organizationId)
    .where('id', '=', id);
  return (options.forUpdate ? query.forUpdate() : query).executeTakeFirst();
}

/**
 * Locks the organisation's active owners (in id order, so concurrent callers queue
 * instead of deadlocking) and returns their ids.
 */
export async function lockActiveOwners(db: Kysely<DB>, organizationId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('users')
    .select('id')
    .where('organization_id', '=', organizationId)
    .where('role', '=', 'owner')
    .where('is_active', '=', true)
    .orderBy('id')
    .forUpdate()
    .execute();
  return rows.map((row) => row.id);
}

export async function updateUser(
  db: Kysely<DB>,
  organizationId: string,
  id: string,
  changes: Omit<Updateable<UsersTable>, 'id' | 'organization_id'>,
): Promise<UserRow> {
  return db
    .updateTable('users')
    .set({ ...changes, updated_at: new Date() })
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .returning(USER_COLUMNS)
    .executeTakeFirstOrThrow();
}

export async function countActiveUsers(db: Kysely<DB>, organizationId: string): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('organization_id', '=', organizationId)
    .where('is_active', '=', true)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}
