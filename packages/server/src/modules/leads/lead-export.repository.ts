import { type Kysely, type RawBuilder, type SelectQueryBuilder, sql } from 'kysely';
import type { DB, LeadStatus } from '../../db/schema.js';
import { filterConditions, type Keyset, type LeadFilters } from './leads.repository.js';

/*
 * Leads read in bulk for exports: the query of the records exports write — camelCase names in
 * file order, times as ISO text — which the exports module turns into lines of the file in SQL
 * and reads a keyset page at a time or, on PostgreSQL, through one cursor.
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

/** Where the next page of a keyset reader starts, and how many rows it holds at most. */
export interface PageOf<C> {
  readonly after: C | undefined;
  readonly limit: number;
}

/**
 * An export query in time order, oldest first by (`column`, id) as its index orders them; with
 * a page, only the rows after the page's keyset (the time as text with microseconds, which a JS
 * Date would lose), at most its limit.
 */
export function inTimeOrder<D, T extends keyof D, O>(
  query: SelectQueryBuilder<D, T, O>,
  column: string,
  page: PageOf<Keyset> | undefined,
): SelectQueryBuilder<D, T, O> {
  const ordered = query.orderBy(sql.ref(column)).orderBy(sql.ref('id'));
  if (page === undefined) return ordered;
  const { after, limit } = page;
  return after === undefined
    ? ordered.limit(limit)
    : ordered
        .limit(limit)
        .where(
          sql<boolean>`(${sql.ref(column)}, id) > (${String(after.value)}::timestamptz, ${after.id}::uuid)`,
        );
}

/**
 * The organisation's leads that match the filters (those of the lead list) as export records;
 * with a page, the next page by id (the (organization_id, id) index serves every page at the
 * same cost however deep), else all of them in the table's order: ids are random, so reading a
 * million leads by id visits the table's pages at random, 2.6× slower than reading it through.
 */
export function leadRecordsQuery(
  db: Kysely<DB>,
  organizationId: string,
  filters: LeadFilters,
  page?: PageOf<string>,
) {
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
    .where((eb) => eb.and(filterConditions(eb, filters)));
  if (page === undefined) return query;
  query = query.orderBy('id').limit(page.limit);
  return page.after === undefined ? query : query.where('id', '>', page.after);
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
