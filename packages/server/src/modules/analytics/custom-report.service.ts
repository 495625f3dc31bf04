import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../http/errors.js';
import { compileReport, presentReport } from './custom-report.compiler.js';
import { CustomReportErrors } from './custom-report.errors.js';
import { planReport } from './custom-report.planner.js';
import { runReportQuery } from './custom-report.repository.js';
import type { CustomReport, CustomReportRequest } from './custom-report.schemas.js';

/** How long one report may run (not a setting: config.ts has no per-query limits to sit beside). */
export const REPORT_TIMEOUT_MS = 5_000;

export interface CustomReportDeps {
  readonly db: Kysely<DB>;
  /** Defaults to REPORT_TIMEOUT_MS; tests shorten it. */
  readonly timeoutMs?: number;
}

/** PostgreSQL's query_canceled: the statement timeout fired (or an admin cancelled the query). */
const QUERY_CANCELED = '57014';

export async function runCustomReport(
  deps: CustomReportDeps,
  organizationId: string,
  request: CustomReportRequest,
): Promise<CustomReport> {
  const plan = planReport(request);
  const timeoutMs = deps.timeoutMs ?? REPORT_TIMEOUT_MS;
  try {
    return presentReport(
      plan,
      await runReportQuery(deps.db, compileReport(organizationId, plan), timeoutMs),
    );
  } catch (error) {
    if ((error as { code?: unknown } | null)?.code !== QUERY_CANCELED) throw error;
    throw new AppError(
      CustomReportErrors.TIMEOUT,
      `The report ran for more than ${timeoutMs / 1000} s and was stopped`,
      { timeoutMs },
    );
  }
}
