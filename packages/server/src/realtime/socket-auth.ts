import { decodeJwt } from 'jose';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { authenticateApiKey, isApiKey } from '../modules/api-keys/index.js';
import { AuthErrors, authenticateAccessToken, type TokenSigner } from '../modules/auth/index.js';

export interface SocketAuthDeps {
  readonly db: Kysely<DB>;
  readonly signer: TokenSigner;
}

/** Who opened a socket: events of this organisation only reach it. */
export interface SocketCaller {
  readonly organizationId: string;
  readonly actor: { readonly type: 'user' | 'api_key'; readonly id: string };
  /** When the access token expires (epoch ms); API keys have no such end. */
  readonly expiresAt?: number;
}

/** Why a handshake was refused: the client's connect_error carries the message and `data`. */
export class HandshakeRefused extends Error {
  override readonly name = 'HandshakeRefused';
  readonly data: { code: string; status: number };
  constructor(definition: (typeof AuthErrors)['UNAUTHENTICATED' | 'FORBIDDEN'], message: string) {
    super(message);
    this.data = { code: definition.code, status: definition.status };
  }
}

/** What every real-time event is about: a socket must be allowed to read leads. */
const REQUIRED_PERMISSION = 'leads:read';

/**
 * Checks the `auth.token` of a socket.io handshake the way the HTTP guard checks a bearer
 * token: a user's access token (the user must still exist and be active) or an API key,
 * either of which must hold `leads:read`. Throws HandshakeRefused otherwise.
 */
export async function authenticateSocket(
  deps: SocketAuthDeps,
  token: unknown,
): Promise<SocketCaller> {
  if (typeof token !== 'string' || token === '') {
    throw new HandshakeRefused(
      AuthErrors.UNAUTHENTICATED,
      'Authentication required: connect with auth: {token: "<access token or API key>"}',
    );
  }
  if (isApiKey(token)) {
    const key = await authenticateApiKey(deps, token);
    if (!key) {
      throw new HandshakeRefused(
        AuthErrors.UNAUTHENTICATED,
        'The API key is not valid (unknown, revoked or expired)',
      );
    }
    if (!(key.scopes as readonly string[]).includes(REQUIRED_PERMISSION)) {
      throw new HandshakeRefused(
        AuthErrors.FORBIDDEN,
        `Real-time events need the ${REQUIRED_PERMISSION} scope, which the API key lacks`,
      );
    }
    return { organizationId: key.organizationId, actor: { type: 'api_key', id: key.id } };
  }
  const user = await authenticateAccessToken(deps, token);
  if (!user) {
    throw new HandshakeRefused(
      AuthErrors.UNAUTHENTICATED,
      'The access token is not valid or has expired: refresh it and reconnect',
    );
  }
  if (!user.permissions.includes(REQUIRED_PERMISSION)) {
    throw new HandshakeRefused(
      AuthErrors.FORBIDDEN,
      `Real-time events need the ${REQUIRED_PERMISSION} permission, which the ${user.role} role lacks`,
    );
  }
  return {
    organizationId: user.organizationId,
    actor: { type: 'user', id: user.id },
    // Verified above, so it has an exp claim.
    expiresAt: (decodeJwt(token).exp ?? 0) * 1000,
  };
}
