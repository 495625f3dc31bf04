export { apiKeyRoutes } from './api-keys.routes.js';
export {
  type ApiKeyDeps,
  type AuthenticatedApiKey,
  authenticateApiKey,
  isApiKey,
} from './api-keys.service.js';
