export { type AuditEntry, recordAudit } from './audit.repository.js';
export { auditContextOf } from './audit-context.js';
