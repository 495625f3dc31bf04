// The export file formats are a contract with imports: EXPORT_COLUMNS names each kind's columns in order.
export { EXPORT_COLUMNS, type ExportedActivity, type ExportRecords } from './export-formats.js';
export { ExportsErrors } from './exports.errors.js';
export { exportJobHandlers } from './exports.jobs.js';
export { exportRoutes } from './exports.routes.js';
export { exportLeads } from './exports.service.js';
