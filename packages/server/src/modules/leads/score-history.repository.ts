import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.js';
import { type Keyset, utcText } from './leads.repository.js';

/**
 * A lead's scores, newest first, each with the model version that wrote it and the activity
 * that caused it (when the scorer wrote it). `sort_key` is `calculated_at` with microseconds.
 * The joins stay inside the organisation: a score only ever names its own organisation's
 * model and activity, and the conditions say so rather than trust it.
 */
export async function listScoreHistory(
  db: Kysely<DB>,
  organizationId: string,
  leadId: string,
  page: { after: Keyset | undefined; limit: number },
) {
  let query = db
    .selectFrom('lead_scores as s')
    .leftJoin('scoring_models as m', (join) =>
      join.onRef('m.id', '=', 's.model_id').on('m.organization_id', '=', organizationId),
    )
    .leftJoin('lead_activities as a', (join) =>
      join
        .onRef('a.id', '=', 's.activity_id')
        .on('a.organization_id', '=', organizationId)
        .on('a.lead_id', '=', leadId),
    )
    .select([
      's.id',
      's.score',
      's.score_breakdown',
      's.confidence',
      's.calculated_at',
      's.cause',
      's.model_id',
      'm.name as model_name',
      'm.version as model_version',
      sql<string | null>`m.config ->> 'algorithm'`.as('model_algorithm'),
      's.activity_id',
      'a.activity_type',
      'a.timestamp as activity_timestamp',
      utcText('s.calculated_at').as('sort_key'),
    ])
    .where('s.organization_id', '=', organizationId)
    .where('s.lead_id', '=', leadId)
    .orderBy('s.calculated_at', 'desc')
    .orderBy('s.id', 'desc')
    .limit(page.limit + 1);
  if (page.after) {
    query = query.where(
      sql<boolean>`(s.calculated_at, s.id) < (${page.after.value}::timestamptz, ${page.after.id}::uuid)`,
    );
  }
  return query.execute();
}
