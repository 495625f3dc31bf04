import { type SelectQueryBuilder, sql } from 'kysely';

/** A page of rows newest first; `after` is the (created_at, id) of the previous page's last row. */
export interface NewestFirstPage {
  readonly limit: number;
  readonly after?: { readonly createdAt: Date; readonly id: string } | undefined;
}

/**
 * Orders a query of a table with `created_at` and `id` newest first (the id breaks ties) and
 * cuts one keyset page of it, plus one row to tell whether another page follows. The row
 * comparison matches an index on (organization_id, created_at, id) read backwards.
 */
export function newestFirst<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  page: NewestFirstPage,
): SelectQueryBuilder<DB, TB, O> {
  const { after } = page;
  const paged = after
    ? query.where(sql<boolean>`(created_at, id) < (${after.createdAt}, ${after.id})`)
    : query;
  return paged
    .orderBy(sql`created_at`, 'desc')
    .orderBy(sql`id`, 'desc')
    .limit(page.limit + 1);
}
