import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { LeadRow } from './leads.repository.js';

/*
 * The SQL of bulk lead writes (imports): a batch costs three statements whatever its size.
 * Rows travel as one JSON parameter expanded by jsonb_to_recordset (see demo.repository.ts
 * for why), which never meets the 65,535-parameter limit.
 */

/** Every editable column of a lead, as a bulk write sets it. */
export type BulkLeadColumns = Pick<
  LeadRow,
  | 'email'
  | 'first_name'
  | 'last_name'
  | 'company'
  | 'job_title'
  | 'phone'
  | 'website'
  | 'source'
  | 'status'
  | 'owner_id'
  | 'country'
  | 'industry'
  | 'company_size'
> & { custom_attributes: Record<string, unknown> };

const RECORD_COLUMNS = sql`email text, first_name text, last_name text, company text,
  job_title text, phone text, website text, source text, status text, owner_id uuid,
  country text, industry text, company_size integer, custom_attributes jsonb`;

/**
 * The organisation's leads with these (normalised) emails, row-locked until the transaction
 * ends, so that the batch plans its writes on rows nobody changes meanwhile. Locked in email
 * order: two batches sharing emails wait on each other in one order, never in a cycle.
 */
export async function lockLeadsByEmail(
  db: Kysely<DB>,
  organizationId: string,
  emails: readonly string[],
): Promise<LeadRow[]> {
  if (emails.length === 0) return [];
  return db
    .selectFrom('leads')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('email', 'in', emails)
    .orderBy('email')
    .forUpdate()
    .execute();
}

/**
 * Inserts the leads; one whose email a concurrent writer took meanwhile is left out. Returns
 * the emails inserted. Their status starts now, as with a single insert.
 */
export async function insertLeads(
  db: Kysely<DB>,
  organizationId: string,
  leads: readonly BulkLeadColumns[],
): Promise<Set<string>> {
  if (leads.length === 0) return new Set();
  const { rows } = await sql<{ email: string }>`
    insert into leads (organization_id, email, first_name, last_name, company, job_title, phone,
      website, source, status, owner_id, country, industry, company_size, custom_attributes,
      status_changed_at)
    select ${organizationId}, r.email, r.first_name, r.last_name, r.company, r.job_title,
      r.phone, r.website, r.source, r.status, r.owner_id, r.country, r.industry, r.company_size,
      r.custom_attributes, now()
    from jsonb_to_recordset(${JSON.stringify(leads)}::jsonb) as r(${RECORD_COLUMNS})
    on conflict (organization_id, email) do nothing
    returning email`.execute(db);
  return new Set(rows.map((row) => row.email));
}

/**
 * Sets every editable column of these leads (by id). A status change restarts the status
 * clock and keeps the outcome score, as leads.repository.ts `updateLead` does for one lead.
 */
export async function updateLeads(
  db: Kysely<DB>,
  organizationId: string,
  leads: readonly (BulkLeadColumns & { id: string })[],
): Promise<void> {
  if (leads.length === 0) return;
  await sql`
    update leads l
    set email = r.email, first_name = r.first_name, last_name = r.last_name,
      company = r.company, job_title = r.job_title, phone = r.phone, website = r.website,
      source = r.source, status = r.status, owner_id = r.owner_id, country = r.country,
      industry = r.industry, company_size = r.company_size,
      custom_attributes = r.custom_attributes, updated_at = now(),
      status_changed_at = case when r.status <> l.status then now() else l.status_changed_at end,
      outcome_score = case
        when r.status = l.status then l.outcome_score
        when r.status in ('converted', 'lost') then l.current_score
      end
    from jsonb_to_recordset(${JSON.stringify(leads)}::jsonb) as r(id uuid, ${RECORD_COLUMNS})
    where l.organization_id = ${organizationId} and l.id = r.id`.execute(db);
}
