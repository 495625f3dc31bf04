import { isDeepStrictEqual } from 'node:util';
import type { Kysely } from 'kysely';
import type { CachedScore, ScoreCache } from '../../cache/index.js';
import type { DB } from '../../db/schema.js';
import { AppError, HttpErrors } from '../../http/errors.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import { type auditContextOf, recordAudit } from '../audit/index.js';
import { isActiveMember } from '../users/index.js';
import { LeadsErrors } from './leads.errors.js';
import * as repository from './leads.repository.js';
import type {
  BulkUpdateLeadsBody,
  CreateLeadBody,
  Lead,
  LeadActivity,
  LeadScore,
  LeadSort,
  ListLeadsQuery,
  PatchLeadBody,
} from './leads.schemas.js';
import { ATTRIBUTES_TOO_LARGE, attributesWithinBudget, DEFAULT_SORT } from './leads.schemas.js';

export interface LeadsDeps {
  readonly db: Kysely<DB>;
  /** Scores read before the database; none: every read goes to the database. */
  readonly scoreCache?: ScoreCache | undefined;
}

/** Who is writing, from where; it scopes the write and fills its audit entry. */
export type WriteContext = ReturnType<typeof auditContextOf>;

type LeadFields = PatchLeadBody;

/** What PUT leaves in a field its body does not give. */
const CLEARED: Required<Omit<LeadFields, 'email'>> = {
  firstName: null,
  lastName: null,
  company: null,
  jobTitle: null,
  phone: null,
  website: null,
  source: null,
  status: 'new',
  ownerId: null,
  country: null,
  industry: null,
  companySize: null,
  attributes: {},
};

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function getLead(deps: LeadsDeps, organizationId: string, id: string): Promise<Lead> {
  return toLead(await requireLead(deps.db, organizationId, id));
}

const SORT_COLUMNS = {
  score: 'current_score',
  created: 'created_at',
  updated: 'updated_at',
  lastActivity: 'last_activity_at',
} as const satisfies Record<string, repository.SortColumn>;

export async function listLeads(deps: LeadsDeps, organizationId: string, query: ListLeadsQuery) {
  const { sort = DEFAULT_SORT, limit } = query;
  const rows = await repository.listLeads(deps.db, organizationId, {
    filters: query,
    column: SORT_COLUMNS[sort.replace(/^-/, '') as keyof typeof SORT_COLUMNS],
    descending: sort.startsWith('-'),
    after: query.cursor === undefined ? undefined : leadsKeyset(query.cursor, sort),
    limit,
  });
  const page = toPage(rows, limit, (row) => [sort, row.sort_key, row.id]);
  return { data: page.data.map(toLead), nextCursor: page.nextCursor };
}

/**
 * Creates a lead, or with `upsert` updates the one that has its email with the fields
 * given (fields left out keep their values). `created` tells which happened.
 */
export async function createLead(
  deps: LeadsDeps,
  context: WriteContext,
  body: CreateLeadBody,
  options: { upsert: boolean },
): Promise<{ lead: Lead; created: boolean }> {
  const { organizationId } = context;
  const fields = normalize(body);
  const { email } = fields;
  const outcome = await answerDuplicates(deps.db, organizationId, email, () =>
    deps.db.transaction().execute(async (trx) => {
      if (fields.ownerId) await requireActiveOwner(trx, organizationId, fields.ownerId);
      const inserted = await repository.insertLead(trx, {
        ...toColumns(fields),
        organization_id: organizationId,
        email,
      });
      if (inserted) {
        await audit(trx, context, 'lead.created', inserted.id);
        return { lead: toLead(inserted), created: true };
      }
      const existing = await repository.findLead(
        trx,
        organizationId,
        { email },
        {
          forUpdate: true,
        },
      );
      if (!existing) return undefined;
      if (!options.upsert) throw duplicateEmail(existing.id);
      return { lead: await writeChanges(trx, context, existing, fields), created: false };
    }),
  );
  // Undefined: the lead in the way was deleted between our insert and our read; the
  // address is free again, so try once more.
  return outcome ?? createLead(deps, context, body, options);
}

/** PUT: every editable field takes the body's value, or its default when left out. */
export async function replaceLead(
  deps: LeadsDeps,
  context: WriteContext,
  id: string,
  body: CreateLeadBody,
): Promise<Lead> {
  return updateLead(deps, context, id, { ...CLEARED, ...normalize(body) });
}

export async function patchLead(
  deps: LeadsDeps,
  context: WriteContext,
  id: string,
  body: PatchLeadBody,
): Promise<Lead> {
  return updateLead(deps, context, id, normalize(body));
}

/**
 * Changes the status or owner of many leads in one transaction, each audited as a PATCH
 * would be. Locks are taken in id order, so two bulk updates that overlap cannot deadlock.
 */
export async function bulkUpdateLeads(
  deps: LeadsDeps,
  context: WriteContext,
  body: BulkUpdateLeadsBody,
): Promise<{ data: Lead[] }> {
  const { organizationId } = context;
  return deps.db.transaction().execute(async (trx) => {
    const rows = await repository.lockLeads(trx, organizationId, body.ids);
    const missing = body.ids.filter((id) => !rows.some((row) => row.id === id));
    if (missing.length > 0) {
      throw new AppError(
        LeadsErrors.NOT_FOUND,
        `No lead ${missing.join(', ')} in your organisation; nothing was changed`,
        { missingIds: missing },
      );
    }
    const data: Lead[] = [];
    for (const row of rows) data.push(await writeChanges(trx, context, row, body.changes));
    return { data };
  });
}

export async function deleteLead(deps: LeadsDeps, context: WriteContext, id: string) {
  await deps.db.transaction().execute(async (trx) => {
    if (!(await repository.deleteLead(trx, context.organizationId, id))) throw leadNotFound(id);
    await audit(trx, context, 'lead.deleted', id);
  });
  // After the commit: a read between the two still finds the lead, and its cached score.
  await deps.scoreCache?.markDeleted(id);
}

export async function listLeadActivities(
  deps: LeadsDeps,
  organizationId: string,
  leadId: string,
  page: { cursor?: string | undefined; limit: number },
): Promise<{ data: LeadActivity[]; nextCursor: string | null }> {
  await requireLead(deps.db, organizationId, leadId);
  const after = page.cursor === undefined ? undefined : timeKeyset(page.cursor);
  const rows = await repository.listActivities(deps.db, organizationId, leadId, {
    after,
    limit: page.limit,
  });
  const { data, nextCursor } = toPage(rows, page.limit, (row) => [row.sort_key, row.id]);
  return {
    data: data.map((row) => ({
      id: row.id,
      type: row.activity_type,
      timestamp: row.timestamp.toISOString(),
      data: row.activity_data as Record<string, unknown>,
      processed: row.processed,
      receivedAt: row.received_at.toISOString(),
    })),
    nextCursor,
  };
}

/**
 * From the cache when it holds the lead's score, else from the database, whose answer is then
 * cached (safe against a scorer writing meanwhile: the cache keeps the newer of two scores).
 */
export async function getLeadScore(
  deps: LeadsDeps,
  organizationId: string,
  leadId: string,
): Promise<LeadScore> {
  const cached = await deps.scoreCache?.get(organizationId, leadId);
  if (cached) return toLeadScore(cached);
  const lead = await requireLead(deps.db, organizationId, leadId);
  const latest = await repository.findLatestScore(deps.db, organizationId, leadId);
  if (!latest) {
    return {
      leadId,
      scored: false,
      score: null,
      maxScore: null,
      breakdown: null,
      confidence: null,
      modelId: null,
      calculatedAt: null,
    };
  }
  const score = toCachedScore({
    ...latest,
    organization_id: organizationId,
    lead_id: leadId,
    max_score: lead.max_score,
  });
  await deps.scoreCache?.set([score]);
  return toLeadScore(score);
}

/**
 * After a scorer batch has committed: caches the scores it wrote, as the score read would
 * answer them. When they cannot be read back, their leads' entries are dropped instead, since
 * those hold the scores before the batch.
 */
export async function cacheWrittenScores(
  deps: { db: Kysely<DB>; scoreCache: ScoreCache },
  leads: readonly { organizationId: string; leadId: string }[],
  calculatedAt: Date,
): Promise<void> {
  if (leads.length === 0) return;
  let rows: Awaited<ReturnType<typeof repository.findScoresCalculatedAt>>;
  try {
    rows = await repository.findScoresCalculatedAt(deps.db, leads, calculatedAt);
  } catch (error) {
    await deps.scoreCache.invalidate(leads.map((l) => l.leadId));
    throw error;
  }
  await deps.scoreCache.set(rows.map(toCachedScore));
}

function toCachedScore(
  row: Awaited<ReturnType<typeof repository.findScoresCalculatedAt>>[number],
): CachedScore {
  return {
    organizationId: row.organization_id,
    leadId: row.lead_id,
    score: row.score,
    maxScore: row.max_score,
    breakdown: row.score_breakdown as Record<string, unknown>,
    confidence: row.confidence == null ? null : Number(row.confidence),
    modelId: row.model_id,
    calculatedAt: row.calculated_at.toISOString(),
  };
}

function toLeadScore(cached: CachedScore): LeadScore {
  const { organizationId: _, ...score } = cached;
  return { ...score, scored: true };
}

async function updateLead(
  deps: LeadsDeps,
  context: WriteContext,
  id: string,
  fields: LeadFields,
): Promise<Lead> {
  const { organizationId } = context;
  return answerDuplicates(deps.db, organizationId, fields.email, () =>
    deps.db.transaction().execute(async (trx) => {
      const row = await repository.findLead(trx, organizationId, { id }, { forUpdate: true });
      if (!row) throw leadNotFound(id);
      return writeChanges(trx, context, row, fields);
    }),
  );
}

/** Applies the fields that differ from the lead's; a write that changes nothing is skipped. */
async function writeChanges(
  trx: Kysely<DB>,
  context: WriteContext,
  row: repository.LeadRow,
  fields: LeadFields,
): Promise<Lead> {
  const current = toLead(row);
  const changed = (Object.keys(fields) as (keyof LeadFields)[]).filter(
    (name) => fields[name] !== undefined && !isDeepStrictEqual(fields[name], current[name]),
  );
  if (changed.length === 0) return current;
  const changes = Object.fromEntries(changed.map((name) => [name, fields[name]])) as LeadFields;
  if (changes.ownerId) await requireActiveOwner(trx, context.organizationId, changes.ownerId);
  const updated = await repository.updateLead(trx, context.organizationId, row.id, {
    columns: toColumns(changes),
    statusChanged: changes.status !== undefined,
  });
  await audit(trx, context, 'lead.updated', row.id, { changed });
  return toLead(updated);
}

/** Email lower-cased and trimmed, country upper-cased, attributes within their budget. */
function normalize<T extends LeadFields>(fields: T): T {
  if (fields.attributes !== undefined && !attributesWithinBudget(fields.attributes)) {
    throw invalidField('attributes', ATTRIBUTES_TOO_LARGE);
  }
  return {
    ...fields,
    ...(fields.email !== undefined && { email: normalizeEmail(fields.email) }),
    ...(typeof fields.country === 'string' && { country: fields.country.toUpperCase() }),
  } as T;
}

export async function requireLead(db: Kysely<DB>, organizationId: string, id: string) {
  const row = await repository.findLead(db, organizationId, { id });
  if (!row) throw leadNotFound(id);
  return row;
}

async function requireActiveOwner(db: Kysely<DB>, organizationId: string, userId: string) {
  if (!(await isActiveMember({ db }, organizationId, userId))) {
    throw invalidField('ownerId', 'is not an active user of this organisation');
  }
}

/**
 * Runs a write and turns a clash on (organisation, email) into a 409 naming the lead
 * that has the address. A clash that slips past the checks (two writers at once) shows
 * as a unique violation, which aborts the transaction, so the lead is looked up after.
 */
async function answerDuplicates<T>(
  db: Kysely<DB>,
  organizationId: string,
  email: string | undefined,
  write: () => Promise<T>,
): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (email === undefined || (error as { code?: unknown }).code !== '23505') throw error;
    throw duplicateEmail((await repository.findLead(db, organizationId, { email }))?.id);
  }
}

function toColumns(fields: LeadFields): repository.LeadColumns {
  const { attributes, ...rest } = fields;
  return {
    email: rest.email,
    first_name: rest.firstName,
    last_name: rest.lastName,
    company: rest.company,
    job_title: rest.jobTitle,
    phone: rest.phone,
    website: rest.website,
    source: rest.source,
    status: rest.status,
    owner_id: rest.ownerId,
    country: rest.country,
    industry: rest.industry,
    company_size: rest.companySize,
    custom_attributes: attributes === undefined ? undefined : JSON.stringify(attributes),
  };
}

function toLead(row: repository.LeadRow): Lead {
  return {
    id: row.id,
    email: row.email,
    firstName: row.first_name,
    lastName: row.last_name,
    company: row.company,
    jobTitle: row.job_title,
    phone: row.phone,
    website: row.website,
    source: row.source,
    status: row.status,
    ownerId: row.owner_id,
    country: row.country,
    industry: row.industry,
    companySize: row.company_size,
    attributes: row.custom_attributes as Record<string, unknown>,
    currentScore: row.current_score,
    maxScore: row.max_score,
    currentGrade: row.current_grade,
    lastActivityAt: row.last_activity_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

function audit(
  trx: Kysely<DB>,
  context: WriteContext,
  action: string,
  leadId: string,
  details?: Record<string, unknown>,
) {
  return recordAudit(trx, { ...context, action, targetType: 'lead', targetId: leadId, details });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** A list cursor is [sort, value, id]; one made for another sort would skip or repeat rows. */
function leadsKeyset(cursor: string, sort: LeadSort): repository.Keyset {
  const [cursorSort, value, id] = decodeCursor(cursor, 3);
  const valueFits =
    value === null ||
    (sort.endsWith('score') ? Number.isInteger(value) : TIMESTAMP.test(String(value)));
  if (cursorSort !== sort || !valueFits || !UUID.test(String(id))) throw invalidCursor();
  return { value: value ?? null, id: String(id) };
}

/** A newest-first list's cursor: a timestamp with microseconds and an id. */
export function timeKeyset(cursor: string): repository.Keyset {
  const [timestamp, id] = decodeCursor(cursor, 2);
  if (!TIMESTAMP.test(String(timestamp)) || !UUID.test(String(id))) throw invalidCursor();
  return { value: String(timestamp), id: String(id) };
}

function invalidCursor(): AppError {
  return new AppError(HttpErrors.VALIDATION_FAILED, 'cursor does not belong to this list', {
    errors: [{ in: 'querystring', field: 'cursor', message: 'does not belong to this list' }],
  });
}

function invalidField(field: string, message: string): AppError {
  return new AppError(HttpErrors.VALIDATION_FAILED, `body.${field}: ${message}`, {
    errors: [{ in: 'body', field, message }],
  });
}

function leadNotFound(id: string): AppError {
  return new AppError(LeadsErrors.NOT_FOUND, `No lead ${id} in your organisation`);
}

function duplicateEmail(existingId: string | undefined): AppError {
  return new AppError(
    LeadsErrors.DUPLICATE_EMAIL,
    'Another lead of your organisation has this email',
    existingId === undefined ? {} : { existingId },
  );
}
