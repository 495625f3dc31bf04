/**
 * What every section of the benchmark writes: the same demo data in the same batches, into
 * organisations created the same way, counted the same way. Shared so the figures compare.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../src/db/schema.js';
import { createOrganizationWithOwner } from '../src/modules/demo/index.js';

export const SEED = 1;
export const BATCH_SIZE = 1000;
/** For the admin at start-up and each organisation's owner; hashing it is never timed. */
export const BENCH_PASSWORD = 'bench-password-123';

export interface Volume {
  leads: number;
  activities: number;
  seconds: number;
}

/** Rows written: leads plus activities. */
export function rowsOf(volume: Pick<Volume, 'leads' | 'activities'>): number {
  return volume.leads + volume.activities;
}

/** Emails are unique per organisation, so each measurement writes into one of its own. */
export async function createBenchOrganization(db: Kysely<DB>, slug: string): Promise<string> {
  const created = await createOrganizationWithOwner(db, {
    name: `Bench ${slug}`,
    slug,
    ownerEmail: `owner@${slug}.example`,
    ownerPassword: BENCH_PASSWORD,
  });
  return created.organizationId;
}
