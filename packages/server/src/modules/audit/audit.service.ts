import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { decodeCursor, invalidCursor, toPage } from '../../http/pagination.js';
import { listAuditEntries } from './audit.repository.js';
import type { AuditEntryJson, AuditLogQuery } from './audit.schemas.js';

export interface AuditDeps {
  readonly db: Kysely<DB>;
}

type AuditRow = Awaited<ReturnType<typeof listAuditEntries>>[number];

export async function listAuditLog(deps: AuditDeps, organizationId: string, query: AuditLogQuery) {
  const beforeId = query.cursor === undefined ? undefined : cursorId(query.cursor);
  const rows = await listAuditEntries(
    deps.db,
    organizationId,
    {
      action: query.action,
      actorId: query.actorId,
      targetType: query.targetType,
      targetId: query.targetId,
      from: query.from === undefined ? undefined : new Date(query.from),
      to: query.to === undefined ? undefined : new Date(query.to),
    },
    { beforeId, limit: query.limit },
  );
  return toPage(rows.map(toEntry), query.limit, (entry) => [entry.id]);
}

/** The id a cursor holds; one that decodes but holds no id is as bad as one that does not decode. */
function cursorId(cursor: string): number {
  const [id] = decodeCursor(cursor, 1);
  if (typeof id === 'number' && Number.isSafeInteger(id)) return id;
  throw invalidCursor();
}

function toEntry(row: AuditRow): AuditEntryJson {
  return {
    id: row.id,
    action: row.action,
    actorType: row.actor_type,
    actorId: row.actor_id,
    targetType: row.target_type,
    targetId: row.target_id,
    details: row.details as Record<string, unknown>,
    ip: row.ip,
    userAgent: row.user_agent,
    requestId: row.request_id,
    createdAt: row.created_at.toISOString(),
  };
}
