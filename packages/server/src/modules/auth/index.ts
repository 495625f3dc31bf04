export { AuthErrors } from './auth.errors.js';
export { type Caller, callerOf, installAuthGuard, type RouteAuth } from './auth.guard.js';
export { revokeUserSessions } from './auth.repository.js';
export { authRoutes } from './auth.routes.js';
export { type AuthDeps, authenticateAccessToken, type CurrentUser } from './auth.service.js';
export {
  API_KEY_SCOPES,
  type ApiKeyScope,
  PERMISSIONS,
  type Permission,
  ROLE_PERMISSIONS,
} from './permissions.js';
export { createTokenSigner, type TokenSigner } from './tokens.js';
