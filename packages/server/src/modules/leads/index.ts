export {
  type CheckedLead,
  checkLead,
  type LeadInput,
  LeadWriteConflict,
  type LeadWriteOutcome,
  writeLeadBatch,
} from './lead-bulk-write.js';
export {
  countLeadsMatching,
  inTimeOrder,
  isoText,
  type LeadRecord,
  leadRecordsQuery,
  type PageOf,
} from './lead-export.repository.js';
export { resolveLeadsForActivities } from './lead-resolution.js';
export { LeadsErrors } from './leads.errors.js';
export type { Keyset, LeadFilters } from './leads.repository.js';
export { leadRoutes } from './leads.routes.js';
export { LEAD_INPUT_FIELDS, ListLeadsQuery } from './leads.schemas.js';
export { cacheWrittenScores } from './leads.service.js';
export {
  type ScoreFilters,
  type ScoreRecord,
  scoreRecordsQuery,
} from './score-export.repository.js';
