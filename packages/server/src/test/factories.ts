import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { createOrganizationWithOwner } from '../modules/demo/index.js';

/** A fresh organisation (and owner) per test keeps tests apart on a shared database. */
export async function createTestOrganization(db: Kysely<DB>): Promise<{ organizationId: string }> {
  const suffix = randomBytes(5).toString('hex');
  return createOrganizationWithOwner(db, {
    name: `Test ${suffix}`,
    slug: `test-${suffix}`,
    ownerEmail: `owner-${suffix}@test.example`,
    ownerPassword: 'correct horse battery staple',
  });
}
