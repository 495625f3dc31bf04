/**
 * Bulk lead writes (imports). One lead is checked with the rules of POST /leads: its body
 * schema, the email trimmed and lower-cased, the country upper-cased, the attributes within
 * their budget, the owner an active user. A batch is then written in the caller's
 * transaction, deduplicated by email against the organisation's leads and within itself.
 */
import { isDeepStrictEqual } from 'node:util';
import type { ErrorObject } from 'ajv';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { FieldError } from '../../http/errors.js';
import { createBodyValidator } from '../../http/validation.js';
import { isActiveMember } from '../users/index.js';
import {
  type BulkLeadColumns,
  insertLeads,
  lockLeadsByEmail,
  updateLeads,
} from './lead-bulk.repository.js';
import type { LeadRow } from './leads.repository.js';
import { ATTRIBUTES_TOO_LARGE, attributesWithinBudget, CreateLeadBody } from './leads.schemas.js';
import { normalizeEmail } from './leads.service.js';

// The app's validator of JSON bodies, so that a row and a POST /leads body pass or fail alike
// (formats included: TypeBox's email format is laxer).
const validateBody = createBodyValidator().compile<CreateLeadBody>(CreateLeadBody);

export type LeadFieldError = Pick<FieldError, 'field' | 'message'>;

/** A lead to write: the fields given (what is left out keeps its value, or its default). */
export interface LeadInput {
  /** Normalised. */
  readonly email: string;
  readonly fields: Omit<CreateLeadBody, 'email'>;
  /** Attributes set on top of the lead's own (or of `fields.attributes` when given). */
  readonly attributePatch?: Readonly<Record<string, unknown>> | undefined;
}

export type CheckedLead =
  | { readonly ok: true; readonly lead: LeadInput }
  | { readonly ok: false; readonly errors: LeadFieldError[] };

/** Checks and normalises a lead given as the body of POST /leads would give it. */
export function checkLead(
  body: Record<string, unknown>,
  attributePatch?: Record<string, unknown>,
): CheckedLead {
  // Trimmed before validation, as the leads routes do.
  const candidate = typeof body.email === 'string' ? { ...body, email: body.email.trim() } : body;
  if (!validateBody(candidate)) {
    return { ok: false, errors: describeIssues(validateBody.errors ?? []) };
  }
  const { email, ...fields } = candidate;
  if (fields.attributes !== undefined && !attributesWithinBudget(fields.attributes)) {
    return { ok: false, errors: [ATTRIBUTES_TOO_LARGE_ERROR] };
  }
  if (typeof fields.country === 'string') fields.country = fields.country.toUpperCase();
  return { ok: true, lead: { email: normalizeEmail(email), fields, attributePatch } };
}

export type LeadWriteOutcome =
  | { readonly kind: 'inserted' | 'updated' | 'unchanged' | 'skipped' }
  | { readonly kind: 'rejected'; readonly errors: LeadFieldError[] };

/**
 * A lead of the batch was created by another writer between the batch's read and its insert.
 * The transaction must be rolled back and the batch run again (it will then update the lead).
 */
export class LeadWriteConflict extends Error {
  constructor() {
    super('another writer created a lead of this batch meanwhile; run the batch again');
    this.name = 'LeadWriteConflict';
  }
}

/**
 * Writes the leads in order, in the caller's transaction: a new email inserts a lead (one
 * seen again later in the batch changes what is inserted); an email the organisation has
 * updates its lead with the fields given (`unchanged` when none differs), or with `skip`
 * leaves it alone. Answers each lead's outcome, in order. Throws LeadWriteConflict (see there).
 */
export async function writeLeadBatch(
  trx: Kysely<DB>,
  organizationId: string,
  leads: readonly LeadInput[],
  options: { readonly onDuplicate: 'update' | 'skip' },
): Promise<LeadWriteOutcome[]> {
  const badOwners = await inactiveOwners(trx, organizationId, leads);
  const existing = new Map(
    (await lockLeadsByEmail(trx, organizationId, [...new Set(leads.map((l) => l.email))])).map(
      (row) => [row.email, row],
    ),
  );
  // Each email's lead as the batch leaves it; no id: the batch inserts it.
  const planned = new Map<string, { id?: string; columns: BulkLeadColumns; dirty: boolean }>();
  const outcomes = leads.map((lead): LeadWriteOutcome => {
    const { ownerId } = lead.fields;
    if (ownerId && badOwners.has(ownerId)) {
      return {
        kind: 'rejected',
        errors: [{ field: 'ownerId', message: 'is not an active user of this organisation' }],
      };
    }
    const row = existing.get(lead.email);
    const known =
      planned.get(lead.email) ?? (row && { id: row.id, columns: columnsOf(row), dirty: false });
    if (known && options.onDuplicate === 'skip') return { kind: 'skipped' };
    const before = known?.columns ?? newLeadColumns(lead.email);
    const after = applyFields(before, lead);
    if (!attributesWithinBudget(after.custom_attributes)) {
      return { kind: 'rejected', errors: [ATTRIBUTES_TOO_LARGE_ERROR] };
    }
    if (!known) {
      planned.set(lead.email, { columns: after, dirty: true });
      return { kind: 'inserted' };
    }
    const changed = !isDeepStrictEqual(before, after);
    planned.set(lead.email, { ...known, columns: after, dirty: known.dirty || changed });
    return { kind: changed ? 'updated' : 'unchanged' };
  });

  const toInsert = [...planned.values()].filter((lead) => lead.id === undefined);
  const inserted = await insertLeads(
    trx,
    organizationId,
    toInsert.map((lead) => lead.columns).sort((a, b) => (a.email < b.email ? -1 : 1)),
  );
  if (inserted.size !== toInsert.length) throw new LeadWriteConflict();
  await updateLeads(
    trx,
    organizationId,
    [...planned.values()].flatMap(({ id, columns, dirty }) =>
      id !== undefined && dirty ? [{ ...columns, id }] : [],
    ),
  );
  return outcomes;
}

/** The owners named by the leads that are not active users of the organisation. */
async function inactiveOwners(
  db: Kysely<DB>,
  organizationId: string,
  leads: readonly LeadInput[],
): Promise<Set<string>> {
  const owners = new Set(
    leads.flatMap((lead) => (lead.fields.ownerId ? [lead.fields.ownerId] : [])),
  );
  const inactive = new Set<string>();
  for (const owner of owners) {
    if (!(await isActiveMember({ db }, organizationId, owner))) inactive.add(owner);
  }
  return inactive;
}

/** The editable fields and their columns. */
const FIELD_COLUMNS = [
  ['firstName', 'first_name'],
  ['lastName', 'last_name'],
  ['company', 'company'],
  ['jobTitle', 'job_title'],
  ['phone', 'phone'],
  ['website', 'website'],
  ['source', 'source'],
  ['status', 'status'],
  ['ownerId', 'owner_id'],
  ['country', 'country'],
  ['industry', 'industry'],
  ['companySize', 'company_size'],
] as const satisfies readonly (readonly [keyof LeadInput['fields'], keyof BulkLeadColumns])[];

function applyFields(before: BulkLeadColumns, lead: LeadInput): BulkLeadColumns {
  const after: Record<string, unknown> = { ...before };
  for (const [field, column] of FIELD_COLUMNS) {
    if (lead.fields[field] !== undefined) after[column] = lead.fields[field];
  }
  after.custom_attributes = {
    ...(lead.fields.attributes ?? before.custom_attributes),
    ...lead.attributePatch,
  };
  return after as BulkLeadColumns;
}

function columnsOf(row: LeadRow): BulkLeadColumns {
  const columns: Record<string, unknown> = { email: row.email };
  for (const [, column] of FIELD_COLUMNS) columns[column] = row[column];
  columns.custom_attributes = row.custom_attributes;
  return columns as BulkLeadColumns;
}

/** What a lead created with no fields but its email has (POST /leads defaults). */
function newLeadColumns(email: string): BulkLeadColumns {
  const columns: Record<string, unknown> = { email, custom_attributes: {} };
  for (const [, column] of FIELD_COLUMNS) columns[column] = null;
  columns.status = 'new';
  return columns as BulkLeadColumns;
}

const ATTRIBUTES_TOO_LARGE_ERROR: LeadFieldError = {
  field: 'attributes',
  message: ATTRIBUTES_TOO_LARGE,
};

/**
 * Ajv's issues as "which field, what is wrong", as the problem handler words them: a nullable
 * field that is neither also yields "must be null" and "must match a schema in anyOf", which
 * only repeat the first issue; an enum names its values.
 */
function describeIssues(issues: readonly ErrorObject[]): LeadFieldError[] {
  const noise = (issue: ErrorObject) =>
    issue.keyword === 'anyOf' || (issue.keyword === 'type' && issue.params.type === 'null');
  const explained = new Set(issues.filter((i) => !noise(i)).map((i) => i.instancePath));
  return issues
    .filter((issue) => !(noise(issue) && explained.has(issue.instancePath)))
    .map((issue) => {
      const path = issue.instancePath.split('/').slice(1);
      if (issue.keyword === 'required') path.push(String(issue.params.missingProperty));
      const message =
        issue.keyword === 'enum'
          ? `must be one of ${(issue.params.allowedValues as unknown[]).join(', ')}`
          : issue.keyword === 'required'
            ? 'is required'
            : (issue.message ?? 'is invalid');
      return { field: path.join('.') || '(root)', message };
    });
}
