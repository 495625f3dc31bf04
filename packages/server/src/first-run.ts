import { type Kysely, sql } from 'kysely';
import type { DB } from './db/schema.js';
import { createOrganizationWithOwner, seedDemoLeads } from './modules/demo/index.js';
import { anyOrganizationExists } from './modules/organizations/index.js';
import { generatePassword } from './modules/users/index.js';

/** Taken inside the first-run transaction so that processes starting together take turns. */
const FIRST_RUN_LOCK_KEY = 7_215_306_348;

export const DEMO_LEAD_COUNT = 2000;
const DEFAULT_ADMIN_EMAIL = 'admin@example.com';

export interface FirstRunOptions {
  adminEmail: string | undefined;
  adminPassword: string | undefined;
  demo: boolean;
  now: Date;
}

export interface FirstRunResult {
  adminEmail: string;
  /** Set only when the password was generated: it is shown once and stored only hashed. */
  generatedPassword: string | undefined;
  demoLeads: number;
}

/**
 * On an empty database: the first organisation, its owner and (unless declined) the
 * demo leads, all in one transaction, so a start killed halfway leaves nothing behind
 * and the next start simply does it again. On any later start: nothing (null).
 */
export async function ensureFirstRun(
  db: Kysely<DB>,
  options: FirstRunOptions,
): Promise<FirstRunResult | null> {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${sql.lit(FIRST_RUN_LOCK_KEY)})`.execute(trx);
    if (await anyOrganizationExists(trx)) return null;

    const adminEmail = options.adminEmail ?? DEFAULT_ADMIN_EMAIL;
    const password = options.adminPassword ?? generatePassword();
    const { organizationId } = await createOrganizationWithOwner(trx, {
      name: options.demo ? 'Demo Company' : 'My Organisation',
      slug: options.demo ? 'demo' : 'default',
      ownerEmail: adminEmail,
      ownerPassword: password,
    });
    const seeded = options.demo
      ? await seedDemoLeads(trx, organizationId, {
          seed: 1,
          leads: DEMO_LEAD_COUNT,
          now: options.now,
        })
      : { leads: 0 };
    return {
      adminEmail,
      generatedPassword: options.adminPassword ? undefined : password,
      demoLeads: seeded.leads,
    };
  });
}
