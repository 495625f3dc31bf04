import { type CompiledQuery, type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { ReportRow } from './custom-report.compiler.js';

/**
 * Runs a compiled report read-only, stopped by PostgreSQL after `timeoutMs` (SET LOCAL through
 * set_config, which takes its value as a parameter). PGlite has no timer to cancel with:
 * there, the limits on dimensions, filters and rows are the only bound.
 */
export async function runReportQuery(
  db: Kysely<DB>,
  query: CompiledQuery<ReportRow>,
  timeoutMs: number,
): Promise<ReportRow[]> {
  return db
    .transaction()
    .setAccessMode('read only')
    .execute(async (trx) => {
      await sql`select set_config('statement_timeout', ${String(timeoutMs)}, true)`.execute(trx);
      return (await trx.executeQuery(query)).rows;
    });
}
