export { importCommand } from './imports.command.js';
export { ImportsErrors } from './imports.errors.js';
export { importJobHandlers } from './imports.jobs.js';
export { importRoutes, MAX_UPLOAD_BYTES } from './imports.routes.js';
export type { ImportsDeps } from './imports.service.js';
