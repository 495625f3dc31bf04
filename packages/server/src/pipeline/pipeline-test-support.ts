import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import {
  computeLeadFeatures,
  defaultRulesModel,
  featuresFromState,
  type LeadActivity,
  type LeadFeatureState,
} from '@leadscore/engine';
import { sql } from 'kysely';
import { type Database, openDatabase, usePGlite } from '../db/connection.js';
import { loadMigrations, migrate } from '../db/migrator.js';
import { PGLITE_OPTIONS } from '../db/pglite-options.js';
import { scoreNextBatch } from './activity-scorer.js';
import { LEAD_PROFILE_COLUMNS, toLeadActivity, toProfile } from './lead-input.js';

/**
 * Helpers for the pipeline's tests. Not a test file, so it is compiled with the server: it
 * imports nothing of src/test/ (kept out of the build) and takes what it needs from there.
 */

/** What openIsolatedDatabase needs of the test harness (src/test/databases.ts). */
export interface TestHarness<E extends { name: string; open(): Promise<Database> }> {
  readonly engine: E;
  /** The migrated PGlite snapshot of the run (`inject('pgliteSnapshot')`). */
  readonly pgliteSnapshot: string;
  readonly createEmptyPostgresDatabase: () => Promise<{ url: string; drop(): Promise<void> }>;
}

/**
 * A migrated database of the suite's own. The scorer drains the whole outbox, so it must not
 * share the run's PostgreSQL database with suites that assert activities stay unprocessed.
 * The PGlite handle (or PostgreSQL URL) is kept for the wake-up signals.
 */
export interface IsolatedDatabase<E> {
  readonly database: Database;
  readonly pglite?: PGlite;
  readonly url?: string;
  /** The harness's engine whose open() hands out this database (for buildTestApp). */
  readonly engine: E;
  close(): Promise<void>;
}

export async function openIsolatedDatabase<E extends { name: string; open(): Promise<Database> }>(
  harness: TestHarness<E>,
): Promise<IsolatedDatabase<E>> {
  const open = async (database: Database) => database;
  if (harness.engine.name === 'pglite') {
    const snapshot = new Blob([await readFile(harness.pgliteSnapshot)]);
    const pglite = await PGlite.create({ ...PGLITE_OPTIONS, loadDataDir: snapshot });
    const database = usePGlite(pglite, () => pglite.close());
    return {
      database,
      pglite,
      engine: { ...harness.engine, open: () => open(database) },
      close: () => database.close(),
    };
  }
  const empty = await harness.createEmptyPostgresDatabase();
  const database = await openDatabase({ databaseUrl: empty.url, dataDir: '', poolMax: 6 });
  await migrate(database.db, await loadMigrations());
  return {
    database,
    url: empty.url,
    engine: { ...harness.engine, open: () => open(database) },
    async close() {
      await database.close();
      await empty.drop();
    },
  };
}

/** A lead of a good fit (VP of Marketing, 250 people, Software, US) unless overridden. */
export async function insertLead(
  db: Database['db'],
  organizationId: string,
  overrides: Record<string, unknown> = {},
): Promise<string> {
  const { id } = await db
    .insertInto('leads')
    .values({
      organization_id: organizationId,
      email: `lead-${randomBytes(5).toString('hex')}@acme.example`,
      job_title: 'VP of Marketing',
      company_size: 250,
      industry: 'Software',
      country: 'US',
      ...overrides,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** Unprocessed activities of the lead, for the scorer to claim. */
export async function insertActivities(
  db: Database['db'],
  organizationId: string,
  leadId: string,
  activities: readonly { type: string; timestamp: number }[],
): Promise<void> {
  if (activities.length === 0) return;
  await db
    .insertInto('lead_activities')
    .values(
      activities.map((a) => ({
        organization_id: organizationId,
        lead_id: leadId,
        activity_type: a.type,
        timestamp: new Date(a.timestamp),
      })),
    )
    .execute();
}

/** Runs batches until the outbox is empty; returns the summed counts. */
export async function drain(
  db: Database['db'],
  options: { batchSize: number; now?: () => Date },
): Promise<{ claimed: number; scored: number; failed: number; batches: number }> {
  const total = { claimed: 0, scored: 0, failed: 0, batches: 0 };
  for (;;) {
    const result = await scoreNextBatch({ db, ...(options.now && { now: options.now }) }, options);
    if (result.claimed === 0) return total;
    total.claimed += result.claimed;
    total.scored += result.scored;
    total.failed += result.failed;
    total.batches++;
  }
}

/**
 * A lead's features from its stored state beside the same features computed from scratch
 * over every activity it has (the default model's feature config), as of `asOf`.
 */
export async function featuresStoredAndRecomputed(
  db: Database['db'],
  leadId: string,
  asOf: number,
): Promise<{ stored: number[]; recomputed: number[] }> {
  const config = defaultRulesModel().features;
  const lead = await db
    .selectFrom('leads')
    .select([...LEAD_PROFILE_COLUMNS, 'organization_id'])
    .where('id', '=', leadId)
    .executeTakeFirstOrThrow();
  const { state } = await db
    .selectFrom('lead_feature_state')
    .select('state')
    .where('lead_id', '=', leadId)
    .executeTakeFirstOrThrow();
  const activities = await db
    .selectFrom('lead_activities')
    .select(['activity_type', 'activity_data', 'timestamp'])
    .where('lead_id', '=', leadId)
    .execute();
  const profile = toProfile(lead);
  return {
    stored: [...featuresFromState(profile, state as LeadFeatureState, asOf, config).values],
    recomputed: [
      ...computeLeadFeatures(profile, activities.map(toLeadActivity), asOf, config).values,
    ],
  };
}

export interface OrganizationCheck {
  activities: number;
  /** Processed and counted (no failure reason). */
  counted: number;
  unprocessed: number;
  leads: number;
  /** Leads with a stored state whose features equal a from-scratch recomputation. */
  matching: number;
  /** Leads whose stored state is missing or differs from the recomputation. */
  mismatched: string[];
}

/**
 * `featuresStoredAndRecomputed` for a whole organisation at once (a 100,000-activity backlog
 * in a few queries): every lead's features from its stored state beside those computed from
 * scratch over all its activities, as of `asOf`, plus how the outbox stands.
 */
export async function checkOrganization(
  db: Database['db'],
  organizationId: string,
  asOf: number,
): Promise<OrganizationCheck> {
  const config = defaultRulesModel().features;
  const leads = await db
    .selectFrom('leads')
    .select([...LEAD_PROFILE_COLUMNS, 'organization_id'])
    .where('organization_id', '=', organizationId)
    .execute();
  const states = new Map(
    (
      await db
        .selectFrom('lead_feature_state')
        .select(['lead_id', 'state'])
        .where('organization_id', '=', organizationId)
        .execute()
    ).map((row) => [row.lead_id, row.state as LeadFeatureState]),
  );
  const activities = await db
    .selectFrom('lead_activities')
    .select([
      'lead_id',
      'activity_type',
      'activity_data',
      'timestamp',
      'processed',
      'failure_reason',
    ])
    .where('organization_id', '=', organizationId)
    .execute();
  const byLead = new Map<string, LeadActivity[]>();
  for (const row of activities) {
    const list = byLead.get(row.lead_id) ?? [];
    list.push(toLeadActivity(row));
    byLead.set(row.lead_id, list);
  }
  const mismatched: string[] = [];
  for (const lead of leads) {
    const state = states.get(lead.id);
    const profile = toProfile(lead);
    const recomputed = computeLeadFeatures(profile, byLead.get(lead.id) ?? [], asOf, config).values;
    const stored = state && featuresFromState(profile, state, asOf, config).values;
    if (!stored || stored.some((value, j) => !Object.is(value, recomputed[j]))) {
      mismatched.push(lead.id);
    }
  }
  return {
    activities: activities.length,
    counted: activities.filter((a) => a.processed && a.failure_reason === null).length,
    unprocessed: activities.filter((a) => !a.processed).length,
    leads: leads.length,
    matching: leads.length - mismatched.length,
    mismatched,
  };
}

const BACKLOG_TYPES = [
  'page_view',
  'email_open',
  'email_click',
  'pricing_view',
  'demo_request',
  'form_submit',
  'content_download',
  'webinar_attended',
];

async function insertOrganization(db: Database['db']): Promise<string> {
  const suffix = Math.random().toString(36).slice(2, 10);
  const { id } = await db
    .insertInto('organizations')
    .values({ name: `Backlog ${suffix}`, slug: `backlog-${suffix}` })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/**
 * A deterministic backlog written by PostgreSQL itself (fast enough for 100,000 rows in a
 * test): `leads` leads of varied fit and `perLead` unprocessed activities each over the 60
 * days before `now`, interleaved in time across leads so that a batch touches many leads, as
 * live traffic does; in a new organisation unless one is given. Returns the organisation and
 * lead ids.
 */
export async function insertBacklog(
  db: Database['db'],
  options: { leads: number; perLead: number; now: Date; organizationId?: string },
): Promise<{ organizationId: string; leadIds: string[] }> {
  const organizationId = options.organizationId ?? (await insertOrganization(db));
  const { rows: leads } = await sql<{ id: string }>`
    insert into leads (organization_id, email, job_title, company_size, industry, country)
    select ${organizationId}::uuid, 'lead-' || i || '@backlog.example',
      (array['VP of Marketing', 'Intern', 'Chief Technology Officer', 'Sales Manager', null])[1 + i % 5],
      (array[5, 50, 250, 2000, null])[1 + (i * 7) % 5],
      (array['Software', 'Retail', 'Finance', null])[1 + (i * 3) % 4],
      (array['US', 'GB', 'DE', 'IN', null])[1 + (i * 11) % 5]
    from generate_series(0, ${options.leads - 1}) as i
    returning id`.execute(db);
  await sql`
    insert into lead_activities (organization_id, lead_id, activity_type, "timestamp")
    select ${organizationId}::uuid, l.id,
      (${BACKLOG_TYPES}::text[])[1 + (l.n * 7 + k * 3) % ${BACKLOG_TYPES.length}],
      ${options.now.toISOString()}::timestamptz
        - make_interval(hours => ((l.n * 131 + k * 977) % 1440)::int)
    from (select id, row_number() over (order by id) as n
          from leads where organization_id = ${organizationId}) as l,
      generate_series(0, ${options.perLead - 1}) as k`.execute(db);
  return { organizationId, leadIds: leads.map((lead) => lead.id) };
}
