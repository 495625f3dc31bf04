import { createHash, createSecretKey, randomBytes } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';

/** Access tokens live 15 minutes: short enough that a leaked one expires soon. */
export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
export const REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 60 * 60;
const AUDIENCE = 'leadscore-api';
/** Pinned: a token naming any other algorithm (none, RS256 with our key as "public key") is refused. */
const ALGORITHM = 'HS256';

export interface AccessTokenClaims {
  userId: string;
  organizationId: string;
}

export interface TokenSigner {
  issue(claims: AccessTokenClaims): Promise<string>;
  /** The claims of a valid token, or null for any invalid one (expired, tampered, foreign). */
  verify(token: string): Promise<AccessTokenClaims | null>;
}

export function createTokenSigner(options: {
  key: string;
  issuer: string;
  now?: () => Date;
}): TokenSigner {
  // A KeyObject made once: given raw bytes, jose would rebuild the key on every check.
  const secret = createSecretKey(Buffer.from(options.key, 'utf8'));
  const now = options.now ?? (() => new Date());
  return {
    issue: (claims) =>
      new SignJWT({ org: claims.organizationId })
        .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
        .setSubject(claims.userId)
        .setIssuer(options.issuer)
        .setAudience(AUDIENCE)
        .setIssuedAt(now())
        .setExpirationTime(Math.floor(now().getTime() / 1000) + ACCESS_TOKEN_TTL_SECONDS)
        .sign(secret),
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, secret, {
          algorithms: [ALGORITHM],
          issuer: options.issuer,
          audience: AUDIENCE,
          currentDate: now(),
          requiredClaims: ['sub', 'exp', 'iat'],
        });
        if (typeof payload.sub !== 'string' || typeof payload.org !== 'string') return null;
        return { userId: payload.sub, organizationId: payload.org };
      } catch (error) {
        if (error instanceof errors.JOSEError) return null;
        throw error;
      }
    },
  };
}

/** An opaque refresh token: 256 random bits. Only its hash is stored. */
export function generateOpaqueToken(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
