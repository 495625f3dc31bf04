import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { AppError, HttpErrors } from '../../http/errors.js';
import { decodeNewestFirstCursor, toPage } from '../../http/pagination.js';
import { type AuditEntry, recordAudit } from '../audit/index.js';
import { API_KEY_SCOPES, type ApiKeyScope } from '../auth/index.js';
import * as repository from './api-keys.repository.js';
import type { ApiKey, CreateApiKeyInput, CreatedApiKey } from './api-keys.schemas.js';

export interface ApiKeyDeps {
  readonly db: Kysely<DB>;
}

/** Who did it, from where; the audit fields of the request that changes a key. */
export type ApiKeyAuditContext = Omit<AuditEntry, 'action' | 'targetType' | 'targetId' | 'details'>;

/** An API key a request presented, once checked: it acts for its organisation with its scopes. */
export interface AuthenticatedApiKey {
  readonly id: string;
  readonly organizationId: string;
  readonly scopes: readonly ApiKeyScope[];
}

/** `lsk_<public prefix>_<secret>`: the prefix finds the row, the secret (256 bits) proves it. */
const KEY_FORMAT = /^lsk_([A-Za-z0-9]{8})_([A-Za-z0-9_-]{43})$/;
const PREFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** last_used_at is a hint for people, not a log: writing it on every request would cost a write per call. */
const LAST_USED_RESOLUTION_MS = 60_000;
const PREFIX_ATTEMPTS = 3;

/** Whether a bearer token is an API key (as opposed to an access token). */
export function isApiKey(token: string): boolean {
  return token.startsWith('lsk_');
}

export async function createApiKey(
  deps: ApiKeyDeps,
  input: CreateApiKeyInput,
  audit: ApiKeyAuditContext,
): Promise<CreatedApiKey> {
  const now = new Date();
  const expiresAt = input.expiresAt === undefined ? null : new Date(input.expiresAt);
  if (expiresAt && expiresAt <= now) {
    throw new AppError(HttpErrors.VALIDATION_FAILED, 'body.expiresAt: must be in the future', {
      errors: [{ in: 'body', field: 'expiresAt', message: 'must be in the future' }],
    });
  }
  return deps.db.transaction().execute(async (trx) => {
    // An 8-character prefix collides rarely, but it is a unique column: draw again if so.
    for (let attempt = 0; attempt < PREFIX_ATTEMPTS; attempt++) {
      const prefix = randomPrefix();
      const key = `lsk_${prefix}_${randomBytes(32).toString('base64url')}`;
      const row = await repository.insertApiKey(trx, {
        organizationId: audit.organizationId,
        name: input.name,
        prefix,
        hash: hashKey(key),
        scopes: input.scopes,
        createdBy: audit.actorType === 'user' ? audit.actorId : null,
        expiresAt,
        // Set here, in milliseconds, so the list cursor (an ISO timestamp) matches it exactly.
        createdAt: now,
      });
      if (!row) continue;
      await recordAudit(trx, {
        ...audit,
        action: 'api_key.created',
        targetType: 'api_key',
        targetId: row.id,
        details: { name: row.name, prefix, scopes: input.scopes, expiresAt: input.expiresAt },
      });
      const created = toApiKey(row);
      return {
        id: created.id,
        name: created.name,
        prefix: created.prefix,
        scopes: created.scopes,
        createdAt: created.createdAt,
        expiresAt: created.expiresAt,
        key,
      };
    }
    throw new Error(`no free API key prefix after ${PREFIX_ATTEMPTS} attempts`);
  });
}

export async function listApiKeys(
  deps: ApiKeyDeps,
  organizationId: string,
  page: { cursor?: string | undefined; limit: number },
): Promise<{ data: ApiKey[]; nextCursor: string | null }> {
  const rows = await repository.listApiKeys(deps.db, organizationId, {
    limit: page.limit,
    after: page.cursor === undefined ? undefined : decodeNewestFirstCursor(page.cursor),
  });
  return toPage(rows.map(toApiKey), page.limit, (key) => [key.createdAt, key.id]);
}

/** Revoking is final and idempotent; an id of another organisation is not found. */
export async function revokeApiKey(
  deps: ApiKeyDeps,
  id: string,
  audit: ApiKeyAuditContext,
): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const row = await repository.findApiKeyForUpdate(trx, audit.organizationId, id);
    if (!row) throw new AppError(HttpErrors.NOT_FOUND, `API key ${id} does not exist`);
    if (row.revoked_at) return;
    await repository.markRevoked(trx, id, new Date());
    await recordAudit(trx, {
      ...audit,
      action: 'api_key.revoked',
      targetType: 'api_key',
      targetId: id,
      details: { name: row.name, prefix: row.prefix },
    });
  });
}

/** The key behind a presented secret, or null when it is malformed, unknown, wrong, revoked or expired. */
export async function authenticateApiKey(
  deps: ApiKeyDeps,
  presented: string,
): Promise<AuthenticatedApiKey | null> {
  const prefix = KEY_FORMAT.exec(presented)?.[1];
  if (!prefix) return null;
  const row = await repository.findApiKeyByPrefix(deps.db, prefix);
  if (!row || !timingSafeEqual(row.key_hash, hashKey(presented))) return null;
  const now = new Date();
  if (row.revoked_at || (row.expires_at && row.expires_at <= now)) return null;

  const staleBefore = new Date(now.getTime() - LAST_USED_RESOLUTION_MS);
  if (!row.last_used_at || row.last_used_at < staleBefore) {
    await repository.touchLastUsed(deps.db, row.id, now, staleBefore);
  }
  return {
    id: row.id,
    organizationId: row.organization_id,
    // A scope later withdrawn from API_KEY_SCOPES stops working on keys that hold it.
    scopes: row.scopes.filter(isApiKeyScope),
  };
}

function hashKey(key: string): Buffer {
  return createHash('sha256').update(key).digest();
}

function randomPrefix(): string {
  return Array.from({ length: 8 }, () => PREFIX_ALPHABET[randomInt(PREFIX_ALPHABET.length)]).join(
    '',
  );
}

function isApiKeyScope(scope: string): scope is ApiKeyScope {
  return (API_KEY_SCOPES as readonly string[]).includes(scope);
}

/** Cursors are not signed: a forged one must be a 400, not a database error. */
function toApiKey(row: Awaited<ReturnType<typeof repository.listApiKeys>>[number]): ApiKey {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes.filter(isApiKeyScope),
    createdAt: row.created_at.toISOString(),
    createdBy: row.created_by,
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
    expiresAt: row.expires_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
  };
}
