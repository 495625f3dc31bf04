import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB, UserRole } from '../db/schema.js';
import { createOrganizationWithOwner } from '../modules/demo/index.js';
import { hashPassword, insertUser } from '../modules/users/index.js';

/** A fresh organisation (and owner) per test keeps tests apart on a shared database. */
export async function createTestOrganization(db: Kysely<DB>): Promise<{ organizationId: string }> {
  const suffix = randomBytes(5).toString('hex');
  return createOrganizationWithOwner(db, {
    name: `Test ${suffix}`,
    slug: `test-${suffix}`,
    ownerEmail: `owner-${suffix}@test.example`,
    ownerPassword: TEST_PASSWORD,
  });
}

export const TEST_PASSWORD = 'correct horse battery staple';

/** A user of the given role in the organisation, with TEST_PASSWORD. */
export async function createTestUser(
  db: Kysely<DB>,
  organizationId: string,
  role: UserRole,
): Promise<{ id: string; email: string }> {
  const email = `${role}-${randomBytes(5).toString('hex')}@test.example`;
  const { id } = await insertUser(db, {
    organizationId,
    email,
    passwordHash: await hashPassword(TEST_PASSWORD),
    role,
  });
  return { id, email };
}
