export {
  anyOrganizationExists,
  insertOrganization,
  slugIsTaken,
} from './organizations.repository.js';
export { organizationsRoutes } from './organizations.routes.js';
