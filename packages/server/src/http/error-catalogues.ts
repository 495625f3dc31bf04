import { ActivityErrors } from '../modules/activities/index.js';
import { CustomReportErrors } from '../modules/analytics/index.js';
import { AuthErrors } from '../modules/auth/index.js';
import { ExportsErrors } from '../modules/exports/index.js';
import { ImportsErrors } from '../modules/imports/index.js';
import { LeadsErrors } from '../modules/leads/index.js';
import { ScoringErrors } from '../modules/scoring/index.js';
import { UsersErrors } from '../modules/users/index.js';
import { type ErrorDefinition, HttpErrors } from './errors.js';

/** Every error the API can answer with, served at /problems; a test checks each is documented. */
export const errorCatalogues: readonly Record<string, ErrorDefinition>[] = [
  HttpErrors,
  AuthErrors,
  LeadsErrors,
  ActivityErrors,
  UsersErrors,
  ScoringErrors,
  ImportsErrors,
  ExportsErrors,
  CustomReportErrors,
];
