import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { insertOrganization, slugIsTaken } from '../organizations/index.js';
import { emailIsTaken, hashPassword, insertUser } from '../users/index.js';
import { insertDemoBatch } from './demo.repository.js';
import { type DemoBatch, type DemoDataOptions, generateDemoBatches } from './demo-data.js';

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

export interface SeedOptions extends DemoDataOptions {
  /**
   * Batches written at once, each on its own connection. On PostgreSQL the server, not
   * Node, is the bottleneck, and two writers nearly double throughput on two cores;
   * PGlite has one connection, so it gains nothing there. Default 1.
   */
  writers?: number;
}

/**
 * Streams generated leads into the organisation, one transaction per batch, so an
 * interrupted run leaves whole batches and memory stays flat for millions of leads
 * (at most `writers` batches are held). Inside a caller's transaction the whole seed is
 * that one transaction instead. Activities are stored unprocessed: the scorer picks them
 * up like any other.
 */
export async function seedDemoLeads(
  db: Kysely<DB>,
  organizationId: string,
  options: SeedOptions,
  onProgress?: (progress: SeedProgress) => void,
): Promise<SeedProgress> {
  const writers = db.isTransaction ? 1 : (options.writers ?? 1);
  const progress = { leads: 0, activities: 0 };
  const writing = new Set<Promise<void>>();
  const writeBatch = async (batch: DemoBatch) => {
    const write = (trx: Kysely<DB>) => insertDemoBatch(trx, organizationId, batch);
    await (db.isTransaction ? write(db) : db.transaction().execute(write));
    progress.leads += batch.leads.length;
    progress.activities += batch.activities.length;
    onProgress?.({ ...progress });
  };
  try {
    for (const batch of generateDemoBatches(options)) {
      const pending = writeBatch(batch).finally(() => writing.delete(pending));
      writing.add(pending);
      if (writing.size >= writers) await Promise.race(writing);
    }
    await Promise.all(writing);
  } catch (error) {
    // Let the other writers end their transactions before the caller closes the pool.
    await Promise.allSettled(writing);
    throw error;
  }
  return progress;
}
