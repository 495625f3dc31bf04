import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { DB, LeadStatus } from '../../db/schema.js';
import { filterConditions, type LeadFilters } from './leads.repository.js';

/*
 * Leads read in bulk for exports, a keyset page at a time: each page one short query, so a
 * reader holds one page in memory and no connection between pages (the embedded database has
 * only one). Rows come out of SQL as the records exports write — camelCase names in file
 * order, times as ISO text — since converting 200,000 rows in JavaScript (a Date per time,
 * an object per row) costs more than reading them.
 */

/**
 * A lead as exports write it: the API's Lead fields in their order, with the grade of its
 * newest score. Imports read these names back.
 */
export interface LeadRecord {
  id: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  jobTitle: string | null;
  phone: string | null;
  website: string | null;
  source: string | null;
  status: LeadStatus;
  ownerId: string | null;
  country: string | null;
  industry: string | null;
  companySize: number | null;
  attributes: Record<string, unknown>;
  currentScore: number | null;
  maxScore: number | null;
  currentGrade: string | null;
  lastActivityAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/**
 * A timestamp as ISO 8601 UTC text with milliseconds, as the API's JSON writes it (a JS Date
 * truncates microseconds; so does `MS`).
 */
export function isoText(column: string): RawBuilder<string> {
  return sql<string>`to_char(${sql.ref(column)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

/**
 * The next page of the organisation's leads that match the filters (those of the lead list),
 * by id: the (organization_id, id) index serves every page at the same cost however deep.
 */
export async function readLeadRecords(
  db: Kysely<DB>,
  organizationId: string,
  filters: LeadFilters,
  page: { after: string | undefined; limit: number },
): Promise<{ records: LeadRecord[]; next: string | null }> {
  let query = db
    .selectFrom('leads')
    .select([
      'id',
      'email',
      'first_name as firstName',
      'last_name as lastName',
      'company',
      'job_title as jobTitle',
      'phone',
      'website',
      'source',
      'status',
      'owner_id as ownerId',
      'country',
      'industry',
      'company_size as companySize',
      'custom_attributes as attributes',
      'current_score as currentScore',
      'max_score as maxScore',
      'current_grade as currentGrade',
      isoText('last_activity_at').as('lastActivityAt'),
      isoText('created_at').as('createdAt'),
      isoText('updated_at').as('updatedAt'),
    ])
    .where('organization_id', '=', organizationId)
    .where((eb) => eb.and(filterConditions(eb, filters)))
    .orderBy('id')
    .limit(page.limit);
  if (page.after !== undefined) query = query.where('id', '>', page.after);
  // The selection is LeadRecord's; only `attributes` (JSONB) is typed `unknown` by Kysely.
  const records = (await query.execute()) as LeadRecord[];
  const last = records.at(-1);
  return { records, next: records.length === page.limit && last ? last.id : null };
}

export async function countLeadsMatching(
  db: Kysely<DB>,
  organizationId: string,
  filters: LeadFilters,
): Promise<number> {
  const row = await db
    .selectFrom('leads')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('organization_id', '=', organizationId)
    .where((eb) => eb.and(filterConditions(eb, filters)))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** The emails of these leads of the organisation, by id (a lead since deleted is absent). */
export async function findLeadEmails(
  db: Kysely<DB>,
  organizationId: string,
  ids: readonly string[],
): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const { rows } = await sql<{ id: string; email: string }>`
    select id, email from leads
    where organization_id = ${organizationId} and id = any(${[...ids]}::uuid[])`.execute(db);
  return new Map(rows.map((row) => [row.id, row.email]));
}
