export { type AuditEntry, recordAudit } from './audit.repository.js';
export { auditRoutes } from './audit.routes.js';
export { auditContextOf, type RequestOrigin, requestOriginOf } from './audit-context.js';
