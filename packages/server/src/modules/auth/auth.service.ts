import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB, UserRole } from '../../db/schema.js';
import { AppError } from '../../http/errors.js';
import { type RequestOrigin, recordAudit } from '../audit/index.js';
import { hashPassword, verifyPassword } from '../users/index.js';
import { AuthErrors } from './auth.errors.js';
import * as repository from './auth.repository.js';
import { type Permission, ROLE_PERMISSIONS } from './permissions.js';
import {
  ACCESS_TOKEN_TTL_SECONDS,
  generateOpaqueToken,
  hashToken,
  REFRESH_TOKEN_TTL_SECONDS,
  type TokenSigner,
} from './tokens.js';

const FAILURE_WINDOW_MS = 15 * 60_000;
const MAX_FAILURES_PER_ACCOUNT = 5;
const MAX_FAILURES_PER_ADDRESS = 20;
const REFRESH_TOKEN_PREFIX = 'lsr_';

export interface AuthDeps {
  readonly db: Kysely<DB>;
  readonly signer: TokenSigner;
}

export interface CurrentUser {
  id: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  role: UserRole;
  organizationId: string;
  organizationName: string;
  permissions: Permission[];
}

export interface Session {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  user: CurrentUser;
}

/** Checking a password against this when the email is unknown makes both cases take as long. */
let decoyHash: Promise<string> | undefined;

export async function login(
  deps: AuthDeps,
  credentials: { email: string; password: string },
  origin: RequestOrigin,
): Promise<Session> {
  const email = credentials.email.trim().toLowerCase();
  const emailHash = hashToken(email);
  const failures = await repository.countRecentLoginFailures(
    deps.db,
    { emailHash, ip: origin.ip },
    new Date(Date.now() - FAILURE_WINDOW_MS),
  );
  if (
    failures.account >= MAX_FAILURES_PER_ACCOUNT ||
    failures.address >= MAX_FAILURES_PER_ADDRESS
  ) {
    throw new AppError(
      AuthErrors.TOO_MANY_ATTEMPTS,
      undefined,
      {},
      {
        'retry-after': String(FAILURE_WINDOW_MS / 1000),
      },
    );
  }

  const user = await repository.findUserByEmail(deps.db, email);
  decoyHash ??= hashPassword('decoy password that matches nothing');
  const passwordOk = await verifyPassword(
    user?.password_hash ?? (await decoyHash),
    credentials.password,
  );
  if (!user || !passwordOk || !user.is_active) {
    await deps.db.transaction().execute(async (trx) => {
      await repository.recordLoginFailure(
        trx,
        { emailHash, ip: origin.ip },
        new Date(Date.now() - FAILURE_WINDOW_MS),
      );
      if (user) {
        await recordAudit(trx, {
          ...userAudit(origin, user.organization_id, user.id),
          action: 'auth.login_failed',
          details: { reason: user.is_active ? 'wrong_password' : 'deactivated' },
        });
      }
    });
    throw new AppError(AuthErrors.INVALID_CREDENTIALS);
  }

  return deps.db.transaction().execute(async (trx) => {
    await repository.clearLoginFailures(trx, emailHash);
    await repository.touchLastLogin(trx, user.id);
    await recordAudit(trx, {
      ...userAudit(origin, user.organization_id, user.id),
      action: 'auth.login',
    });
    const session = await startSession(
      trx,
      deps.signer,
      user.id,
      user.organization_id,
      randomUUID(),
    );
    if (!session) throw new AppError(AuthErrors.INVALID_CREDENTIALS);
    return session;
  });
}

/**
 * Trades a refresh token for a new pair. Each refresh token works once: presenting one
 * that was already rotated means it was copied, so the whole family (that login) is
 * revoked and both the thief and the user must log in again.
 */
export async function refresh(
  deps: AuthDeps,
  refreshToken: string,
  origin: RequestOrigin,
): Promise<Session> {
  const outcome = await deps.db.transaction().execute(async (trx) => {
    const row = await repository.findRefreshTokenForUpdate(trx, hashToken(refreshToken));
    if (!row || row.revoked_at || row.expires_at <= new Date()) return null;
    const audit = userAudit(origin, row.organization_id, row.user_id);
    if (row.rotated_at) {
      await repository.revokeFamily(trx, row.family_id);
      await recordAudit(trx, { ...audit, action: 'auth.refresh_token_reuse_detected' });
      return null;
    }
    await repository.markRotated(trx, row.id);
    const session = await startSession(
      trx,
      deps.signer,
      row.user_id,
      row.organization_id,
      row.family_id,
    );
    if (!session) {
      // The user was deactivated: this login is over.
      await repository.revokeFamily(trx, row.family_id);
      return null;
    }
    await recordAudit(trx, { ...audit, action: 'auth.refresh' });
    return session;
  });
  if (!outcome) throw new AppError(AuthErrors.INVALID_REFRESH_TOKEN);
  return outcome;
}

/** Ends the login the refresh token belongs to. Unknown tokens are ignored: logging out twice is fine. */
export async function logout(
  deps: AuthDeps,
  refreshToken: string,
  origin: RequestOrigin,
): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const row = await repository.findRefreshTokenForUpdate(trx, hashToken(refreshToken));
    if (!row || row.revoked_at) return;
    await repository.revokeFamily(trx, row.family_id);
    await recordAudit(trx, {
      ...userAudit(origin, row.organization_id, row.user_id),
      action: 'auth.logout',
    });
  });
}

/** The caller behind a valid access token, or null when the token or its user is no longer valid. */
export async function authenticateAccessToken(
  deps: AuthDeps,
  token: string,
): Promise<CurrentUser | null> {
  const claims = await deps.signer.verify(token);
  if (!claims) return null;
  return loadCurrentUser(deps.db, claims.userId, claims.organizationId);
}

async function loadCurrentUser(
  db: Kysely<DB>,
  userId: string,
  organizationId: string,
): Promise<CurrentUser | null> {
  // Looked up on every request, so deactivation and role changes apply at once.
  const user = await repository.findActiveUser(db, userId, organizationId);
  if (!user) return null;
  return {
    id: user.id,
    email: user.email,
    firstName: user.first_name,
    lastName: user.last_name,
    role: user.role,
    organizationId: user.organization_id,
    organizationName: user.organization_name,
    permissions: [...ROLE_PERMISSIONS[user.role]],
  };
}

async function startSession(
  trx: Kysely<DB>,
  signer: TokenSigner,
  userId: string,
  organizationId: string,
  familyId: string,
): Promise<Session | null> {
  const user = await loadCurrentUser(trx, userId, organizationId);
  if (!user) return null;
  const refreshToken = generateOpaqueToken(REFRESH_TOKEN_PREFIX);
  await repository.insertRefreshToken(trx, {
    organizationId,
    userId,
    familyId,
    hash: hashToken(refreshToken),
    expiresAt: new Date(Date.now() + REFRESH_TOKEN_TTL_SECONDS * 1000),
  });
  return {
    accessToken: await signer.issue({ userId, organizationId }),
    refreshToken,
    expiresIn: ACCESS_TOKEN_TTL_SECONDS,
    user,
  };
}

/** An audit entry acted by a user (auth events happen before any caller exists). */
function userAudit(origin: RequestOrigin, organizationId: string, userId: string) {
  return { ...origin, organizationId, actorType: 'user' as const, actorId: userId };
}
