import { toPage } from '../../http/pagination.js';
import type { ScoreHistoryEntry } from './leads.schemas.js';
import { type LeadsDeps, requireLead, timeKeyset } from './leads.service.js';
import { listScoreHistory } from './score-history.repository.js';

/** Every score a lead has had, newest first, with what wrote it and why. */
export async function getScoreHistory(
  deps: LeadsDeps,
  organizationId: string,
  leadId: string,
  page: { cursor?: string | undefined; limit: number },
): Promise<{ data: ScoreHistoryEntry[]; nextCursor: string | null }> {
  await requireLead(deps.db, organizationId, leadId);
  const rows = await listScoreHistory(deps.db, organizationId, leadId, {
    after: page.cursor === undefined ? undefined : timeKeyset(page.cursor),
    limit: page.limit,
  });
  const { data, nextCursor } = toPage(rows, page.limit, (row) => [row.sort_key, row.id]);
  return {
    data: data.map((row) => ({
      id: row.id,
      score: row.score,
      breakdown: row.score_breakdown as Record<string, unknown>,
      confidence: row.confidence === null ? null : Number(row.confidence),
      calculatedAt: row.calculated_at.toISOString(),
      cause: row.cause,
      model:
        row.model_id !== null && row.model_name !== null && row.model_version !== null
          ? {
              id: row.model_id,
              name: row.model_name,
              version: row.model_version,
              algorithm: row.model_algorithm,
            }
          : null,
      activity:
        row.activity_id !== null && row.activity_type !== null && row.activity_timestamp !== null
          ? {
              id: row.activity_id,
              type: row.activity_type,
              timestamp: row.activity_timestamp.toISOString(),
            }
          : null,
    })),
    nextCursor,
  };
}
