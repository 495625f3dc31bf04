export {
  anyOrganizationExists,
  insertOrganization,
  slugIsTaken,
} from './organizations.repository.js';
