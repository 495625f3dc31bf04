import {
  type ExpressionBuilder,
  type Kysely,
  type RawBuilder,
  type Selectable,
  sql,
  type Updateable,
} from 'kysely';
import type { DB, LeadStatus, LeadsTable } from '../../db/schema.js';

export type LeadRow = Selectable<LeadsTable>;
export type LeadColumns = Omit<Updateable<LeadsTable>, 'id' | 'organization_id'>;

/** The columns a list can be sorted by. The two nullable ones sort their nulls last. */
export type SortColumn = 'current_score' | 'created_at' | 'updated_at' | 'last_activity_at';

/**
 * Where a page starts: after the row with this sort value and id. Timestamps travel as
 * text with microseconds (see `sortKey`), since a JS Date would round them to
 * milliseconds and rows within the same millisecond would be skipped or repeated.
 */
export interface Keyset {
  readonly value: string | number | null;
  readonly id: string;
}

export interface LeadFilters {
  q?: string | undefined;
  status?: LeadStatus[] | undefined;
  source?: string[] | undefined;
  ownerId?: string[] | undefined;
  minScore?: number | undefined;
  maxScore?: number | undefined;
  createdFrom?: string | undefined;
  createdTo?: string | undefined;
  updatedFrom?: string | undefined;
  updatedTo?: string | undefined;
  lastActivityFrom?: string | undefined;
  lastActivityTo?: string | undefined;
}

export interface LeadListing {
  filters: LeadFilters;
  column: SortColumn;
  descending: boolean;
  after: Keyset | undefined;
  limit: number;
}

/**
 * Inserts unless the organisation already has a lead with this email (then undefined).
 * The lead's status starts now.
 */
export async function insertLead(
  db: Kysely<DB>,
  lead: LeadColumns & { organization_id: string; email: string },
): Promise<LeadRow | undefined> {
  return db
    .insertInto('leads')
    .values({ ...lead, status_changed_at: sql`now()` })
    .onConflict((conflict) => conflict.columns(['organization_id', 'email']).doNothing())
    .returningAll()
    .executeTakeFirst();
}

/** One lead of the organisation, by id or by (normalised) email. */
export async function findLead(
  db: Kysely<DB>,
  organizationId: string,
  key: { id: string } | { email: string },
  options: { forUpdate?: boolean } = {},
): Promise<LeadRow | undefined> {
  const query = db
    .selectFrom('leads')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where((eb) => ('id' in key ? eb('id', '=', key.id) : eb('email', '=', key.email)));
  return (options.forUpdate ? query.forUpdate() : query).executeTakeFirst();
}

/** The organisation's leads among `ids`, locked for update in id order. */
export async function lockLeads(
  db: Kysely<DB>,
  organizationId: string,
  ids: readonly string[],
): Promise<LeadRow[]> {
  return db
    .selectFrom('leads')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('id', 'in', ids)
    .orderBy('id')
    .forUpdate()
    .execute();
}

export async function updateLead(
  db: Kysely<DB>,
  organizationId: string,
  id: string,
  change: { columns: LeadColumns; statusChanged: boolean },
): Promise<LeadRow> {
  return db
    .updateTable('leads')
    .set({
      ...change.columns,
      updated_at: sql`now()`,
      ...(change.statusChanged && {
        status_changed_at: sql`now()`,
        // The score that predicted the outcome, kept for conversion by score band.
        outcome_score: sql`case when ${change.columns.status ?? null}::text in ('converted', 'lost')
          then current_score end`,
      }),
    })
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteLead(
  db: Kysely<DB>,
  organizationId: string,
  id: string,
): Promise<boolean> {
  const result = await db
    .deleteFrom('leads')
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/**
 * One page of leads plus one row (to tell whether another page follows), each with its
 * `sort_key`. The id breaks ties in the opposite direction to the sort column, so the
 * orderings match the (organization_id, column, id) indexes read forwards or backwards.
 * Rows with a null sort value come after all others, ordered by id alone.
 */
export async function listLeads(db: Kysely<DB>, organizationId: string, listing: LeadListing) {
  const { column, descending, after, limit } = listing;
  const matching = () =>
    db
      .selectFrom('leads')
      .selectAll()
      .select(sortKey(column).as('sort_key'))
      .where('organization_id', '=', organizationId)
      .where((eb) => eb.and(filterConditions(eb, listing.filters)));
  const nullsAfter = (id: string | undefined, count: number) => {
    let query = matching()
      .where(column, 'is', null)
      .orderBy('id', descending ? 'asc' : 'desc')
      .limit(count);
    if (id !== undefined) query = query.where('id', descending ? '>' : '<', id);
    return query.execute();
  };

  if (after?.value === null) return nullsAfter(after.id, limit + 1);
  let query = matching()
    .orderBy(column, (order) => (descending ? order.desc() : order.asc()).nullsLast())
    .orderBy('id', descending ? 'asc' : 'desc')
    .limit(limit + 1);
  if (after) query = query.where((eb) => keysetAfter(eb, column, descending, after));
  const rows = await query.execute();
  // Past a cursor the query above keeps to a plain range the index serves, which leaves
  // out the rows with a null value; they follow, asked for apart.
  if (!after || rows.length > limit || !NULLABLE_COLUMNS.has(column)) return rows;
  return [...rows, ...(await nullsAfter(undefined, limit + 1 - rows.length))];
}

const NULLABLE_COLUMNS: ReadonlySet<SortColumn> = new Set(['current_score', 'last_activity_at']);

/** Rows after a cursor with a non-null value, in the orderings `listLeads` uses. */
function keysetAfter(
  eb: ExpressionBuilder<DB, 'leads'>,
  column: SortColumn,
  descending: boolean,
  after: Keyset,
) {
  // `never` lets it stand for either column type; the cast makes it the right one in SQL.
  const bound = sql<never>`${after.value}::${sql.raw(column === 'current_score' ? 'integer' : 'timestamptz')}`;
  return eb.and([
    eb(column, descending ? '<=' : '>=', bound),
    eb.or([eb(column, descending ? '<' : '>', bound), eb('id', descending ? '>' : '<', after.id)]),
  ]);
}

function sortKey(column: SortColumn): RawBuilder<string | number | null> {
  return column === 'current_score' ? sql`current_score` : utcText(column);
}

/** A timestamp as ISO 8601 text with all six fraction digits, whatever the session time zone. */
export function utcText(column: string) {
  return sql<
    string | null
  >`to_char(${sql.ref(column)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

/**
 * Name, email and company as one text, exactly as migration 0002 indexes it (trigrams):
 * any other spelling of the expression would not use the index.
 */
const SEARCHABLE_TEXT = sql<string>`(coalesce(first_name, '') || ' ' || coalesce(last_name, '') || ' ' || email || ' ' || coalesce(company, ''))`;

export function filterConditions(eb: ExpressionBuilder<DB, 'leads'>, filters: LeadFilters) {
  const conditions = [];
  if (filters.q !== undefined) {
    const pattern = `%${filters.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(eb(SEARCHABLE_TEXT, 'ilike', pattern));
  }
  if (filters.status?.length) conditions.push(eb('status', 'in', filters.status));
  if (filters.source?.length) conditions.push(eb('source', 'in', filters.source));
  if (filters.ownerId?.length) conditions.push(eb('owner_id', 'in', filters.ownerId));
  if (filters.minScore !== undefined) {
    conditions.push(eb('current_score', '>=', filters.minScore));
  }
  if (filters.maxScore !== undefined) {
    conditions.push(eb('current_score', '<=', filters.maxScore));
  }
  const ranges = [
    ['created_at', filters.createdFrom, filters.createdTo],
    ['updated_at', filters.updatedFrom, filters.updatedTo],
    ['last_activity_at', filters.lastActivityFrom, filters.lastActivityTo],
  ] as const;
  // Bounds go to SQL as text: a JS Date would drop their microseconds.
  for (const [column, from, to] of ranges) {
    if (from !== undefined) conditions.push(eb(column, '>=', sql<Date>`${from}::timestamptz`));
    if (to !== undefined) conditions.push(eb(column, '<', sql<Date>`${to}::timestamptz`));
  }
  return conditions;
}

/** A lead's activities, newest first, `sort_key` being the timestamp with microseconds. */
export async function listActivities(
  db: Kysely<DB>,
  organizationId: string,
  leadId: string,
  page: { after: Keyset | undefined; limit: number },
) {
  let query = db
    .selectFrom('lead_activities')
    .select([
      'id',
      'activity_type',
      'activity_data',
      'timestamp',
      'processed',
      'received_at',
      utcText('timestamp').as('sort_key'),
    ])
    .where('organization_id', '=', organizationId)
    .where('lead_id', '=', leadId)
    .orderBy('timestamp', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit + 1);
  if (page.after) {
    query = query.where(
      sql<boolean>`("timestamp", id) < (${page.after.value}::timestamptz, ${page.after.id}::uuid)`,
    );
  }
  return query.execute();
}

export async function findLatestScore(db: Kysely<DB>, organizationId: string, leadId: string) {
  return db
    .selectFrom('lead_scores')
    .select(['model_id', 'score', 'score_breakdown', 'confidence', 'calculated_at'])
    .where('organization_id', '=', organizationId)
    .where('lead_id', '=', leadId)
    .orderBy('calculated_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/**
 * The scores written at `calculatedAt` for these leads (organisation and lead id pairs), each
 * with its lead's max score: what the score read answers, read back after a scorer batch has
 * committed so that the cache holds what the database would (confidence as rounded there).
 */
export async function findScoresCalculatedAt(
  db: Kysely<DB>,
  leads: readonly { organizationId: string; leadId: string }[],
  calculatedAt: Date,
) {
  const { rows } = await sql<{
    organization_id: string;
    lead_id: string;
    model_id: string | null;
    score: number;
    score_breakdown: unknown;
    confidence: string | null;
    calculated_at: Date;
    max_score: number | null;
  }>`
    select distinct on (s.lead_id) s.organization_id, s.lead_id, s.model_id, s.score,
      s.score_breakdown, s.confidence, s.calculated_at, l.max_score
    from unnest(${leads.map((l) => l.organizationId)}::uuid[], ${leads.map((l) => l.leadId)}::uuid[])
      as k(organization_id, lead_id)
    join lead_scores s on s.lead_id = k.lead_id and s.organization_id = k.organization_id
      and s.calculated_at = ${calculatedAt.toISOString()}::timestamptz
    join leads l on l.id = k.lead_id and l.organization_id = k.organization_id
    order by s.lead_id, s.id desc`.execute(db);
  return rows;
}
