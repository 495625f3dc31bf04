export {
  createOrganizationWithOwner,
  DemoSetupError,
  type NewOrganization,
  type SeedProgress,
  seedDemoLeads,
} from './demo.service.js';
