import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { AppError } from '../../http/errors.js';
import { ProblemSchema } from '../../http/problem-schema.js';
import { AuthErrors } from './auth.errors.js';
import { type AuthDeps, authenticateAccessToken, type CurrentUser } from './auth.service.js';
import type { Permission } from './permissions.js';

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
 * Makes every route declare who may call it, and enforces it. A route without `auth`
 * in its config stops the app from starting, so none can be added unprotected by
 * mistake. Each protected route's OpenAPI entry gets its security schemes and the
 * 401/403 problems.
 */
export function installAuthGuard(app: FastifyInstance, deps: AuthDeps): void {
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
    const token = bearerToken(request);
    const user = token ? await authenticateAccessToken(deps, token) : null;
    if (!user) {
      throw new AppError(
        AuthErrors.UNAUTHENTICATED,
        undefined,
        {},
        { 'www-authenticate': 'Bearer' },
      );
    }
    request.caller = {
      organizationId: user.organizationId,
      actor: { type: 'user', id: user.id },
      permissions: user.permissions,
      user,
    };
    if (!user.permissions.includes(auth)) {
      throw new AppError(
        AuthErrors.FORBIDDEN,
        `This needs the ${auth} permission, which the ${user.role} role lacks`,
      );
    }
  });
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
    security: [{ bearerAuth: [] }],
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
