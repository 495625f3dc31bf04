import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { type auditContextOf, recordAudit } from '../audit/index.js';
import { countActiveUsers } from '../users/index.js';
import * as repository from './organizations.repository.js';
import type { Organization, UpdateOrganizationBody } from './organizations.schemas.js';

export interface OrganizationsDeps {
  readonly db: Kysely<DB>;
}

export async function getOrganization(
  deps: OrganizationsDeps,
  organizationId: string,
): Promise<Organization> {
  const row = await repository.findOrganization(deps.db, organizationId);
  return toOrganization(row, await countActiveUsers(deps, organizationId));
}

/** Renames the organisation or sets its domain; the slug stays, as links may use it. */
export async function updateOrganization(
  deps: OrganizationsDeps,
  audit: ReturnType<typeof auditContextOf>,
  input: UpdateOrganizationBody,
): Promise<Organization> {
  const { organizationId } = audit;
  const wanted = {
    name: input.name?.trim(),
    domain: input.domain === undefined ? undefined : (input.domain?.toLowerCase() ?? null),
  };
  const row = await deps.db.transaction().execute(async (trx) => {
    const before = await repository.findOrganization(trx, organizationId, { forUpdate: true });
    const changes: Record<string, { from: string | null; to: string | null }> = {};
    for (const field of ['name', 'domain'] as const) {
      const to = wanted[field];
      if (to !== undefined && to !== before[field]) changes[field] = { from: before[field], to };
    }
    if (Object.keys(changes).length === 0) return before;
    const after = await repository.updateOrganization(trx, organizationId, wanted);
    await recordAudit(trx, {
      ...audit,
      action: 'organization.updated',
      targetType: 'organization',
      targetId: organizationId,
      details: { changes },
    });
    return after;
  });
  return toOrganization(row, await countActiveUsers(deps, organizationId));
}

function toOrganization(
  row: Awaited<ReturnType<typeof repository.findOrganization>>,
  userCount: number,
): Organization {
  return {
    id: row.id,
    name: row.name,
    slug: row.slug,
    domain: row.domain,
    createdAt: row.created_at.toISOString(),
    userCount,
  };
}
