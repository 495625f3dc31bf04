/**
 * Demo data: a reproducible stream of realistic leads and their activities, so Leadscore can be
 * tried, and its models trained, without a CRM. Pure and synchronous; the caller writes each
 * batch to the database, and memory stays flat however many leads are asked for.
 *
 * The data follow a hidden story, so a model trained on them has something true to learn:
 *
 * 1. Fit. Every lead has an industry, a company-size band, a country tier, a job function, a
 *    seniority (C-level, VP, Director, Manager or individual contributor, readable from the job
 *    title) and a CRM, each with a fit weight; their sum is the lead's firmographic fit. The
 *    ideal customer is a 51–1000-person software, marketing or e-commerce company in a tier-1
 *    country, reached through a marketing or RevOps leader who runs Salesforce or HubSpot.
 * 2. Interest. A latent interest, never written out: a little fit, the source (referrals and
 *    partners arrive warm, outbound leads cold), competitor use (they are shopping) and noise.
 * 3. Behaviour. Over a journey of 5–45 days after creation the lead visits in bursts (sessions
 *    of page views, front-loaded), and a session may add a pricing view, a download, a form or a
 *    demo request; nurture emails arrive about weekly and are opened, clicked, bounced or
 *    unsubscribed from; webinars and meetings happen. Counts are Poisson or Bernoulli draws whose
 *    rates rise with interest and, for the high-intent actions, with fit.
 * 4. Outcome. A lead created more than 45 days before `now` is decided at the end of its journey:
 *    converted with a logistic probability in fit, interest, demo requests, meetings, pricing
 *    views, webinars and clicks, lowered by unsubscribes, bounces and competitor use; else lost.
 *    That date is statusChangedAt, and no activity comes after it.
 * 5. Younger leads are new, contacted (sales calls the better-fitting ones within days) or
 *    qualified (after a demo request or meeting); what would happen after `now` is cut off.
 */
import { base, en, Faker } from '@faker-js/faker';
import { createRng, type Rng } from '@leadscore/engine';
import type { LeadStatus } from '../../db/schema.js';
import { DAY_MS, type Draft, drawJourney, type Profile, sigmoid } from './demo-journey.js';
import {
  COUNTRIES,
  COUNTRY_TIER_FIT,
  CRMS,
  INDUSTRIES,
  JOB_FUNCTIONS,
  MARKETING_AUTOMATION,
  REVENUE_BANDS,
  SENIORITIES,
  SIZE_BANDS,
  SOURCES,
  type WeightedList,
} from './demo-vocabulary.js';

export interface DemoLead {
  /** Lower-case, unique within a run (it holds the lead's index), on a reserved `.example` domain. */
  email: string;
  firstName: string;
  lastName: string;
  company: string;
  jobTitle: string;
  phone: string | null;
  website: string | null;
  /** ISO 3166-1 alpha-2. */
  country: string;
  industry: string;
  /** Employees. */
  companySize: number;
  source: string;
  status: LeadStatus;
  /** Technographics and the like: crm, marketing_automation, uses_competitor, annual_revenue_band. */
  customAttributes: Record<string, unknown>;
  createdAt: Date;
  statusChangedAt: Date | null;
  lastActivityAt: Date | null;
}

export interface DemoActivity {
  /** Index of the activity's lead in the same batch's `leads`. */
  leadIndex: number;
  activityType:
    | 'page_view'
    | 'email_open'
    | 'email_click'
    | 'form_submit'
    | 'demo_request'
    | 'pricing_view'
    | 'content_download'
    | 'webinar_attended'
    | 'meeting_booked'
    | 'email_bounce'
    | 'unsubscribe';
  activityData: Record<string, unknown>;
  timestamp: Date;
}

export interface DemoBatch {
  leads: DemoLead[];
  activities: DemoActivity[];
}

export interface DemoDataOptions {
  seed: number;
  leads: number;
  /** Leads are created over the 365 days before it, and no activity comes after it. */
  now: Date;
  /** Leads per batch; 1000 by default. */
  batchSize?: number;
}

type ActivityType = DemoActivity['activityType'];

const DEFAULT_BATCH_SIZE = 1000;

const CREATION_WINDOW_MS = 365 * DAY_MS;
const MIN_JOURNEY_DAYS = 5;
// Journeys never outlast the horizon, so every lead older than it has a decided outcome.
const OUTCOME_HORIZON_DAYS = 45;
const OUTCOME_HORIZON_MS = OUTCOME_HORIZON_DAYS * DAY_MS;

// Set so that about a fifth of decided leads convert.
const CONVERSION_INTERCEPT = -3.0;

/**
 * Streams `options.leads` demo leads in batches of `batchSize` (default 1000). The same options
 * always give deep-equal batches, and batch boundaries do not change the leads.
 */
export function generateDemoBatches(options: DemoDataOptions): Generator<DemoBatch> {
  // Checked before the generator starts, so bad options fail at the call, not at the first read.
  const { seed, leads, now, batchSize = DEFAULT_BATCH_SIZE } = options;
  if (!Number.isSafeInteger(seed)) {
    throw new RangeError(`generateDemoBatches: seed must be an integer, got ${seed}`);
  }
  if (!Number.isSafeInteger(leads) || leads < 1) {
    throw new RangeError(`generateDemoBatches: leads must be a positive integer, got ${leads}`);
  }
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
    throw new RangeError(
      `generateDemoBatches: batchSize must be a positive integer, got ${batchSize}`,
    );
  }
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) {
    throw new RangeError('generateDemoBatches: now must be a valid Date');
  }
  return streamBatches(seed, leads, now.getTime(), batchSize);
}

interface Sources {
  rng: Rng;
  faker: Faker;
  nowMs: number;
}

function* streamBatches(
  seed: number,
  total: number,
  nowMs: number,
  batchSize: number,
): Generator<DemoBatch> {
  // A dedicated Faker instance: the global one is shared state that other code may reseed.
  const sources: Sources = {
    rng: createRng(seed),
    faker: new Faker({ locale: [en, base], seed }),
    nowMs,
  };
  for (let first = 0; first < total; first += batchSize) {
    const batch: DemoBatch = { leads: [], activities: [] };
    const end = Math.min(total, first + batchSize);
    for (let index = first; index < end; index++) {
      batch.leads.push(generateLead(sources, index, index - first, batch.activities));
    }
    yield batch;
  }
}

// ---------------------------------------------------------------------------------------------
// One lead: its profile and outcome. Lists are in demo-vocabulary.ts, the journey in demo-journey.ts.

type Counts = Record<ActivityType, number>;

function generateLead(
  { rng, faker, nowMs }: Sources,
  globalIndex: number,
  leadIndex: number,
  activities: DemoActivity[],
): DemoLead {
  const firstName = faker.person.firstName();
  const lastName = faker.person.lastName();
  const company = faker.company.name();
  const domain = `${domainLabel(company)}.example`;
  const profile = drawProfile(rng);

  const createdAtMs = nowMs - Math.floor(rng.next() * CREATION_WINDOW_MS);
  const journeyDays = MIN_JOURNEY_DAYS + rng.next() * (OUTCOME_HORIZON_DAYS - MIN_JOURNEY_DAYS);
  const journeyEndMs = createdAtMs + Math.floor(journeyDays * DAY_MS);
  // For a decided lead the journey ended before `now`; for a young one, `now` may cut it short.
  const observedUntilMs = Math.min(journeyEndMs, nowMs);
  const events = drawJourney(rng, profile, createdAtMs, journeyEndMs)
    .filter((event) => event.at <= observedUntilMs)
    .sort((a, b) => a.at - b.at);

  const decided = nowMs - createdAtMs > OUTCOME_HORIZON_MS;
  const { status, changedAtMs } = decided
    ? decideOutcome(rng, profile, countByType(events), journeyEndMs)
    : currentStage(rng, profile, events, createdAtMs, nowMs);

  for (const event of events) {
    activities.push({
      leadIndex,
      activityType: event.type,
      activityData: event.data,
      timestamp: new Date(event.at),
    });
  }
  const lastEvent = events[events.length - 1];
  const localPart = [emailWord(firstName), emailWord(lastName), String(globalIndex)]
    .filter((word) => word !== '')
    .join('.');

  return {
    email: `${localPart}@${domain}`,
    firstName,
    lastName,
    company,
    jobTitle: profile.jobTitle,
    // Interested leads leave a phone number more often.
    phone: rng.bernoulli(sigmoid(-0.2 + 0.5 * profile.interest))
      ? `+${profile.country.callingCode} ${rng.int(100, 1000)} ${rng.int(100, 1000)} ${rng.int(1000, 10000)}`
      : null,
    website: rng.bernoulli(0.85) ? `https://www.${domain}` : null,
    country: profile.country.code,
    industry: profile.industry.name,
    companySize: profile.companySize,
    source: profile.source.name,
    status,
    customAttributes: profile.customAttributes,
    createdAt: new Date(createdAtMs),
    statusChangedAt: changedAtMs === null ? null : new Date(changedAtMs),
    lastActivityAt: lastEvent === undefined ? null : new Date(lastEvent.at),
  };
}

function drawProfile(rng: Rng): Profile {
  const industry = pickFrom(rng, INDUSTRIES);
  const band = pickFrom(rng, SIZE_BANDS);
  // Log-uniform within the band, as firm sizes are: even in 51–200, 60-person firms outnumber
  // 180-person ones.
  const logMin = Math.log(band.min);
  const logMax = Math.log(band.max + 1);
  const companySize = Math.min(
    band.max,
    Math.floor(Math.exp(logMin + rng.next() * (logMax - logMin))),
  );
  const country = pickFrom(rng, COUNTRIES);
  const jobFunction = pickFrom(rng, JOB_FUNCTIONS);
  const seniority = pickFrom(rng, SENIORITIES);
  const source = pickFrom(rng, SOURCES);
  const crm = pickFrom(rng, CRMS);
  const usesCompetitor = rng.bernoulli(0.25);
  const revenue = companySize * 150_000 * Math.exp(rng.normal(0, 0.6));

  const fit =
    industry.fit +
    band.fit +
    COUNTRY_TIER_FIT[country.tier] +
    jobFunction.fit +
    seniority.fit +
    crm.fit;
  const interest =
    0.35 * fit + source.interest + (usesCompetitor ? 0.4 : 0) + rng.normal(-0.3, 0.9);

  return {
    industry,
    band,
    companySize,
    country,
    jobTitle: seniority.title(rng, jobFunction),
    source,
    customAttributes: {
      crm: crm.name,
      marketing_automation: pickFrom(rng, MARKETING_AUTOMATION).name,
      uses_competitor: usesCompetitor,
      annual_revenue_band: REVENUE_BANDS.find((band) => revenue < band.below)?.label,
    },
    usesCompetitor,
    fit,
    interest,
  };
}

interface Stage {
  status: LeadStatus;
  changedAtMs: number | null;
}

/** Converted or lost, decided when the journey ends, from what was seen before then. */
function decideOutcome(rng: Rng, profile: Profile, counts: Counts, decidedAtMs: number): Stage {
  const logit =
    CONVERSION_INTERCEPT +
    0.5 * profile.fit +
    0.4 * profile.interest +
    1.0 * Math.min(counts.demo_request, 1) +
    1.4 * Math.min(counts.meeting_booked, 1) +
    0.35 * Math.min(counts.pricing_view, 3) +
    0.4 * Math.min(counts.webinar_attended, 2) +
    0.15 * Math.min(counts.email_click, 4) -
    1.0 * Math.min(counts.unsubscribe, 1) -
    1.0 * Math.min(counts.email_bounce, 1) -
    (profile.usesCompetitor ? 0.4 : 0);
  return { status: rng.bernoulli(sigmoid(logit)) ? 'converted' : 'lost', changedAtMs: decidedAtMs };
}

/** Where an undecided lead stands at `now`; `events` are sorted and none is after `now`. */
function currentStage(
  rng: Rng,
  { fit }: Profile,
  events: readonly Draft[],
  createdAtMs: number,
  nowMs: number,
): Stage {
  const salesSignal = events.find(
    (event) => event.type === 'demo_request' || event.type === 'meeting_booked',
  );
  if (salesSignal !== undefined) return { status: 'qualified', changedAtMs: salesSignal.at };
  if (rng.bernoulli(sigmoid(0.2 + 0.8 * fit))) {
    const contactedAt = createdAtMs + Math.floor(rng.exponential(1 / (2 * DAY_MS)));
    if (contactedAt <= nowMs) return { status: 'contacted', changedAtMs: contactedAt };
  }
  return { status: 'new', changedAtMs: null };
}

// ---------------------------------------------------------------------------------------------
// Helpers.

function countByType(events: readonly Draft[]): Counts {
  const counts: Counts = {
    page_view: 0,
    email_open: 0,
    email_click: 0,
    form_submit: 0,
    demo_request: 0,
    pricing_view: 0,
    content_download: 0,
    webinar_attended: 0,
    meeting_booked: 0,
    email_bounce: 0,
    unsubscribe: 0,
  };
  for (const event of events) counts[event.type]++;
  return counts;
}

function pickFrom<T>(rng: Rng, list: WeightedList<T>): T {
  return rng.pickWeighted(list.items, list.weights);
}

/** A lower-case DNS label (at most 63 characters) from a company name. */
function domainLabel(company: string): string {
  const label = company
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 63)
    .replace(/^-+|-+$/g, '');
  return label === '' ? 'company' : label;
}

function emailWord(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '');
}
