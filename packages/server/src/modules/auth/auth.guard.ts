import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { AppError } from '../../http/errors.js';
import { ProblemSchema } from '../../http/problem-schema.js';
import { AuthErrors } from './auth.errors.js';
import { type AuthDeps, authenticateAccessToken, type CurrentUser } from './auth.service.js';
import { API_KEY_SCOPES, type Permission } from './permissions.js';

/** What a route requires: anyone (`public`) or a caller holding one permission. */
export type RouteAuth = 'public' | Permission;

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: RouteAuth;
  }
  interface FastifyRequest {
    /** Who is calling; set on every route that is not public. */
    caller?: Caller;
  }
}

/** An authenticated caller: a user (with their profile) or an organisation's API key. */
export interface Caller {
  readonly organizationId: string;
  readonly actor: { readonly type: 'user' | 'api_key'; readonly id: string };
  readonly permissions: readonly Permission[];
  /** Set when the caller is a user. */
  readonly user?: CurrentUser;
}

/** Routes that plugins register for us (the API reference UI) and that are public by nature. */
const PLUGIN_ROUTE_PREFIXES = ['/docs'];

/** The caller of a protected route (the guard has run, so there always is one). */
export function callerOf(request: FastifyRequest): Caller {
  if (!request.caller) throw new Error(`${request.url} is public: it has no caller`);
  return request.caller;
}

/**
 * How the guard recognises and checks API keys. Given by the app, not imported, as the
 * api-keys module depends on this one (for permissions and the caller).
 */
export interface ApiKeyAuthenticator {
  isApiKey(token: string): boolean;
  authenticate(
    presented: string,
  ): Promise<{ organizationId: string; id: string; scopes: readonly Permission[] } | null>;
}

export interface GuardDeps extends AuthDeps {
  readonly apiKeys: ApiKeyAuthenticator;
}

/**
 * Makes every route declare who may call it, and enforces it. A route without `auth`
 * in its config stops the app from starting, so none can be added unprotected by
 * mistake. Each protected route's OpenAPI entry gets its security schemes and the
 * 401/403 problems.
 */
export function installAuthGuard(app: FastifyInstance, deps: GuardDeps): void {
  app.addHook('onRoute', (route) => {
    if (PLUGIN_ROUTE_PREFIXES.some((prefix) => route.url.startsWith(prefix))) return;
    const auth = route.config?.auth;
    if (auth === undefined) {
      throw new Error(
        `${String(route.method)} ${route.url} declares no auth: set config.auth to 'public' or a permission`,
      );
    }
    if (auth !== 'public') documentProtection(route, auth);
  });

  app.addHook('onRequest', async (request) => {
    const auth = request.routeOptions.config.auth;
    if (request.is404 || auth === undefined || auth === 'public') return;
    const caller = await authenticate(deps, request);
    if (!caller) {
      throw new AppError(
        AuthErrors.UNAUTHENTICATED,
        undefined,
        {},
        { 'www-authenticate': 'Bearer' },
      );
    }
    request.caller = caller;
    if (!caller.permissions.includes(auth)) {
      const lacking = caller.user
        ? `the ${caller.user.role} role lacks`
        : 'the API key’s scopes lack';
      throw new AppError(
        AuthErrors.FORBIDDEN,
        `This needs the ${auth} permission, which ${lacking}`,
      );
    }
  });
}

/** A user's access token, or an API key as a bearer token or in X-API-Key; null when none is valid. */
async function authenticate(deps: GuardDeps, request: FastifyRequest): Promise<Caller | null> {
  const token = bearerToken(request);
  if (token && !deps.apiKeys.isApiKey(token)) {
    const user = await authenticateAccessToken(deps, token);
    return (
      user && {
        organizationId: user.organizationId,
        actor: { type: 'user', id: user.id },
        permissions: user.permissions,
        user,
      }
    );
  }
  const presented = token ?? request.headers['x-api-key'];
  const key = typeof presented === 'string' ? await deps.apiKeys.authenticate(presented) : null;
  return (
    key && {
      organizationId: key.organizationId,
      actor: { type: 'api_key', id: key.id },
      permissions: key.scopes,
    }
  );
}

function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1];
}

function documentProtection(route: RouteOptions, permission: Permission): void {
  const schema = route.schema ?? {};
  route.schema = {
    ...schema,
    security: (API_KEY_SCOPES as readonly Permission[]).includes(permission)
      ? [{ bearerAuth: [] }, { apiKey: [] }]
      : [{ bearerAuth: [] }],
    description: [schema.description, `Requires the \`${permission}\` permission.`]
      .filter(Boolean)
      .join('\n\n'),
    response: {
      401: ProblemSchema,
      403: ProblemSchema,
      ...(schema.response as object | undefined),
    },
  };
}
