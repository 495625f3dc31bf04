import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { normalizeEmail } from './leads.service.js';

/** How an activity names its lead: by id, or by email (creating the lead when asked). */
export interface LeadRef {
  readonly leadId?: string | undefined;
  readonly leadEmail?: string | undefined;
  readonly createLead?: boolean | undefined;
}

export interface ResolvedLead {
  id: string;
  /** True when this call created the lead from the email. */
  created: boolean;
}

/**
 * Finds the organisation's leads that activities belong to, answered in order (null where
 * there is none: a lead of another organisation is none; an id wins over an email). A few
 * statements whatever their number: a batch of 1,000 activities must not cost 1,000 round
 * trips. Creation is race-safe: a lead another request inserts first is found, not
 * duplicated. Pass the caller's transaction, so created leads commit with the activities.
 */
export async function resolveLeadsForActivities(
  db: Kysely<DB>,
  organizationId: string,
  refs: readonly LeadRef[],
): Promise<(ResolvedLead | null)[]> {
  const ids = distinct(refs.flatMap((ref) => (ref.leadId ? [ref.leadId.toLowerCase()] : [])));
  const byEmail = refs.filter((ref) => !ref.leadId && ref.leadEmail);
  const emails = distinct(byEmail.map((ref) => normalizeEmail(ref.leadEmail ?? '')));

  const knownIds = new Set(
    ids.length === 0
      ? []
      : (
          await db
            .selectFrom('leads')
            .select('id')
            .where('organization_id', '=', organizationId)
            .where('id', 'in', ids)
            .execute()
        ).map((row) => row.id),
  );
  const idByEmail = await findIdsByEmail(db, organizationId, emails);

  const created = new Set<string>();
  // Sorted, so two requests creating the same leads take their row locks in one order.
  const missing = distinct(
    byEmail.filter((ref) => ref.createLead).map((ref) => normalizeEmail(ref.leadEmail ?? '')),
  )
    .filter((email) => !idByEmail.has(email))
    .sort();
  if (missing.length > 0) {
    const inserted = await db
      .insertInto('leads')
      .values(missing.map((email) => ({ organization_id: organizationId, email, status: 'new' })))
      .onConflict((conflict) => conflict.columns(['organization_id', 'email']).doNothing())
      .returning(['id', 'email'])
      .execute();
    for (const row of inserted) {
      idByEmail.set(row.email, row.id);
      created.add(row.email);
    }
    // Whatever was not inserted, a concurrent request created (and committed) meanwhile.
    const raced = missing.filter((email) => !idByEmail.has(email));
    for (const [email, id] of await findIdsByEmail(db, organizationId, raced)) {
      idByEmail.set(email, id);
    }
  }

  return refs.map((ref) => {
    if (ref.leadId) {
      const id = ref.leadId.toLowerCase();
      return knownIds.has(id) ? { id, created: false } : null;
    }
    if (!ref.leadEmail) return null;
    const email = normalizeEmail(ref.leadEmail);
    const id = idByEmail.get(email);
    return id === undefined ? null : { id, created: created.has(email) };
  });
}

async function findIdsByEmail(
  db: Kysely<DB>,
  organizationId: string,
  emails: readonly string[],
): Promise<Map<string, string>> {
  if (emails.length === 0) return new Map();
  const rows = await db
    .selectFrom('leads')
    .select(['id', 'email'])
    .where('organization_id', '=', organizationId)
    .where('email', 'in', emails)
    .execute();
  return new Map(rows.map((row) => [row.email, row.id]));
}

function distinct<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
