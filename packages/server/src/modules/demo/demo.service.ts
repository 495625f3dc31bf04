import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { insertOrganization, slugIsTaken } from '../organizations/index.js';
import { emailIsTaken, hashPassword, insertUser } from '../users/index.js';
import { insertDemoBatch } from './demo.repository.js';
import { type DemoDataOptions, generateDemoBatches } from './demo-data.js';

/** The demo organisation cannot be created as asked; the message says why. */
export class DemoSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DemoSetupError';
  }
}

export interface NewOrganization {
  name: string;
  slug: string;
  ownerEmail: string;
  ownerPassword: string;
}

/** An organisation and its owner, in one transaction. */
export async function createOrganizationWithOwner(
  db: Kysely<DB>,
  organization: NewOrganization,
): Promise<{ organizationId: string }> {
  const passwordHash = await hashPassword(organization.ownerPassword);
  const create = async (trx: Kysely<DB>) => {
    if (await slugIsTaken(trx, organization.slug)) {
      throw new DemoSetupError(
        `An organisation with the slug "${organization.slug}" already exists`,
      );
    }
    if (await emailIsTaken(trx, organization.ownerEmail)) {
      throw new DemoSetupError(`A user with the email ${organization.ownerEmail} already exists`);
    }
    const { id } = await insertOrganization(trx, {
      name: organization.name,
      slug: organization.slug,
    });
    await insertUser(trx, {
      organizationId: id,
      email: organization.ownerEmail,
      passwordHash,
      role: 'owner',
    });
    return { organizationId: id };
  };
  return db.isTransaction ? create(db) : db.transaction().execute(create);
}

export interface SeedProgress {
  leads: number;
  activities: number;
}

/**
 * Streams generated leads into the organisation, one transaction per batch, so an
 * interrupted run leaves whole batches and memory stays flat for millions of leads.
 * Inside a caller's transaction the whole seed is that one transaction instead.
 * Activities are stored unprocessed: the scorer picks them up like any other.
 */
export async function seedDemoLeads(
  db: Kysely<DB>,
  organizationId: string,
  options: DemoDataOptions,
  onProgress?: (progress: SeedProgress) => void,
): Promise<SeedProgress> {
  const progress = { leads: 0, activities: 0 };
  for (const batch of generateDemoBatches(options)) {
    const write = (trx: Kysely<DB>) => insertDemoBatch(trx, organizationId, batch);
    await (db.isTransaction ? write(db) : db.transaction().execute(write));
    progress.leads += batch.leads.length;
    progress.activities += batch.activities.length;
    onProgress?.({ ...progress });
  }
  return progress;
}
