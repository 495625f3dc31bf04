import type { Kysely } from 'kysely';
import type { DB, UserRole } from '../../db/schema.js';
import { AppError, HttpErrors } from '../../http/errors.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import { type auditContextOf, recordAudit } from '../audit/index.js';
import { revokeUserSessions } from '../auth/index.js';
import { generatePassword, hashPassword } from './passwords.js';
import { UsersErrors } from './users.errors.js';
import * as repository from './users.repository.js';
import type { CreateUserBody, ListUsersQuery, UpdateUserBody, User } from './users.schemas.js';

export interface UsersDeps {
  readonly db: Kysely<DB>;
}

/** Who is acting and in which organisation; `role` is unset for API keys, which are never owners. */
export interface ActorContext {
  readonly audit: ReturnType<typeof auditContextOf>;
  readonly role: UserRole | undefined;
}

export async function listUsers(deps: UsersDeps, organizationId: string, query: ListUsersQuery) {
  const afterEmail =
    query.cursor === undefined ? undefined : String(decodeCursor(query.cursor, 1)[0]);
  const rows = await repository.listUsers(
    deps.db,
    organizationId,
    { role: query.role, isActive: query.isActive },
    { afterEmail, limit: query.limit },
  );
  return toPage(rows.map(toUser), query.limit, (user) => [user.email]);
}

export async function getUser(deps: UsersDeps, organizationId: string, id: string): Promise<User> {
  return toUser(found(await repository.findUser(deps.db, organizationId, id)));
}

/**
 * Creates a user in the actor's organisation. Without a password one is generated and
 * returned once; there is no email delivery yet, so the admin hands it over.
 */
export async function createUser(
  deps: UsersDeps,
  actor: ActorContext,
  input: CreateUserBody,
): Promise<User & { temporaryPassword?: string }> {
  if (input.role === 'owner') requireOwner(actor, 'Only an owner can make someone an owner');
  const generated = input.password === undefined;
  const password = input.password ?? generatePassword();
  const passwordHash = await hashPassword(password);
  const email = input.email.trim().toLowerCase();
  const { organizationId } = actor.audit;

  const row = await deps.db.transaction().execute(async (trx) => {
    const created = await repository.insertUserIfEmailFree(trx, {
      organizationId,
      email,
      passwordHash,
      role: input.role,
      firstName: input.firstName,
      lastName: input.lastName,
    });
    if (!created) {
      throw new AppError(UsersErrors.EMAIL_TAKEN, `A user with the email ${email} already exists`);
    }
    await recordAudit(trx, {
      ...actor.audit,
      action: 'user.created',
      targetType: 'user',
      targetId: created.id,
      details: { role: input.role, passwordGenerated: generated },
    });
    return created;
  });
  return { ...toUser(row), ...(generated && { temporaryPassword: password }) };
}

/**
 * Changes a user's name, role or active state. Deactivation ends the user's logins in
 * the same transaction; their access tokens already stop at once, because the auth
 * guard reloads the user on every request.
 */
export async function updateUser(
  deps: UsersDeps,
  actor: ActorContext,
  id: string,
  changes: UpdateUserBody,
): Promise<User> {
  const { organizationId } = actor.audit;
  return deps.db.transaction().execute(async (trx) => {
    // Owners first, then the target, in the same order in every call: two owners
    // demoting each other at once are decided one after the other.
    const activeOwners = await repository.lockActiveOwners(trx, organizationId);
    const before = found(await repository.findUser(trx, organizationId, id, { forUpdate: true }));
    const change = describeChange(before, changes);
    checkRules(actor, before, changes, change, activeOwners);
    if (!change.role && !change.active && change.fields.length === 0) return toUser(before);

    const after = await repository.updateUser(trx, organizationId, id, {
      first_name: changes.firstName,
      last_name: changes.lastName,
      role: changes.role,
      is_active: changes.isActive,
    });
    if (change.active && !after.is_active) {
      await revokeUserSessions(trx, organizationId, id);
    }

    const audit = { ...actor.audit, targetType: 'user', targetId: id };
    if (change.role) {
      await recordAudit(trx, {
        ...audit,
        action: 'user.role_changed',
        details: { from: before.role, to: after.role },
      });
    }
    if (change.active) {
      const action = after.is_active ? 'user.reactivated' : 'user.deactivated';
      await recordAudit(trx, { ...audit, action });
    }
    if (change.fields.length > 0) {
      // Which fields, not their values: the audit trail is append-only and should hold
      // no more personal data than it needs.
      await recordAudit(trx, {
        ...audit,
        action: 'user.updated',
        details: { fields: change.fields },
      });
    }
    return toUser(after);
  });
}

interface Change {
  role: boolean;
  active: boolean;
  /** Profile fields whose value changes. */
  fields: string[];
}

function describeChange(before: repository.UserRow, changes: UpdateUserBody): Change {
  const fields: string[] = [];
  if (changes.firstName !== undefined && changes.firstName !== before.first_name) {
    fields.push('firstName');
  }
  if (changes.lastName !== undefined && changes.lastName !== before.last_name) {
    fields.push('lastName');
  }
  return {
    role: changes.role !== undefined && changes.role !== before.role,
    active: changes.isActive !== undefined && changes.isActive !== before.is_active,
    fields,
  };
}

/**
 * The organisation's rules: no one changes their own role or deactivates themselves;
 * only owners grant or take away the owner role or touch an owner's account; an active
 * owner always remains.
 */
function checkRules(
  actor: ActorContext,
  before: repository.UserRow,
  changes: UpdateUserBody,
  change: Change,
  activeOwners: readonly string[],
): void {
  const deactivates = change.active && changes.isActive === false;
  if (before.id === actor.audit.actorId && (change.role || deactivates)) {
    throw new AppError(
      UsersErrors.SELF_CHANGE,
      change.role
        ? 'You cannot change your own role; ask another admin or owner'
        : 'You cannot deactivate yourself; ask another admin or owner',
    );
  }
  if (before.role === 'owner') requireOwner(actor, 'Only an owner can change an owner');
  if (change.role && changes.role === 'owner') {
    requireOwner(actor, 'Only an owner can make someone an owner');
  }
  const isLastOwner =
    activeOwners.includes(before.id) && activeOwners.every((owner) => owner === before.id);
  if (isLastOwner && (change.role || deactivates)) {
    throw new AppError(
      UsersErrors.LAST_OWNER,
      'This is the organisation’s only active owner; make someone else owner first',
    );
  }
}

export async function countActiveUsers(deps: UsersDeps, organizationId: string): Promise<number> {
  return repository.countActiveUsers(deps.db, organizationId);
}

/** Whether `userId` is an active member of the organisation (e.g. fit to own a lead). */
export async function isActiveMember(
  deps: UsersDeps,
  organizationId: string,
  userId: string,
): Promise<boolean> {
  const user = await repository.findUser(deps.db, organizationId, userId);
  return user?.is_active === true;
}

function requireOwner(actor: ActorContext, detail: string): void {
  if (actor.role !== 'owner') throw new AppError(UsersErrors.OWNER_ONLY, detail);
}

function found(row: repository.UserRow | undefined): repository.UserRow {
  if (!row) throw new AppError(HttpErrors.NOT_FOUND, 'No such user in this organisation');
  return row;
}

function toUser(row: repository.UserRow): User {
  return {
    id: row.id,
    email: row.email,
    firstName: row.first_name,
    lastName: row.last_name,
    role: row.role,
    isActive: row.is_active,
    lastLoginAt: row.last_login_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
