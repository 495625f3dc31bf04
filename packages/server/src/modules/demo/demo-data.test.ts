import { describe, expect, it } from 'vitest';
import { type DemoBatch, type DemoLead, generateDemoBatches } from './demo-data.js';

const NOW = new Date('2025-06-01T12:00:00Z');
const DAY_MS = 86_400_000;
// The generator's documented story: leads are created over the last year, and those older than
// 45 days have an outcome.
const CREATION_WINDOW_MS = 365 * DAY_MS;
const OUTCOME_HORIZON_MS = 45 * DAY_MS;
const HIGH_INTENT = new Set([
  'demo_request',
  'pricing_view',
  'meeting_booked',
  'webinar_attended',
  'email_click',
]);

interface LeadWithActivities {
  lead: DemoLead;
  timestamps: number[];
  highIntent: number;
}

/** Every lead of a run with its own activities, joined through the batch's leadIndex. */
function flatten(batches: readonly DemoBatch[]): LeadWithActivities[] {
  return batches.flatMap(({ leads, activities }) => {
    const joined = leads.map((lead) => ({ lead, timestamps: [] as number[], highIntent: 0 }));
    for (const activity of activities) {
      const owner = joined[activity.leadIndex];
      if (owner === undefined) throw new Error(`activity points at lead ${activity.leadIndex}`);
      owner.timestamps.push(activity.timestamp.getTime());
      if (HIGH_INTENT.has(activity.activityType)) owner.highIntent++;
    }
    return joined;
  });
}

/** ROC AUC as the Mann–Whitney statistic: ranks of the positives, ties sharing their mean rank. */
function rocAuc(samples: readonly { score: number; positive: boolean }[]): number {
  const sorted = [...samples].sort((a, b) => a.score - b.score);
  let positives = 0;
  let positiveRankSum = 0;
  for (let start = 0; start < sorted.length; ) {
    let end = start;
    while (sorted[end] !== undefined && sorted[end]?.score === sorted[start]?.score) end++;
    const meanRank = (start + 1 + end) / 2;
    for (const sample of sorted.slice(start, end)) {
      if (sample.positive) {
        positives++;
        positiveRankSum += meanRank;
      }
    }
    start = end;
  }
  const negatives = sorted.length - positives;
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

const run = [...generateDemoBatches({ seed: 11, leads: 20_000, now: NOW })];
const leads = flatten(run);
const decided = leads.filter(({ lead }) => lead.status === 'converted' || lead.status === 'lost');
const converted = decided.filter(({ lead }) => lead.status === 'converted');
const lost = decided.filter(({ lead }) => lead.status === 'lost');
const meanHighIntent = (group: readonly LeadWithActivities[]) =>
  group.reduce((sum, { highIntent }) => sum + highIntent, 0) / group.length;

describe('generateDemoBatches', () => {
  it('gives the same batches for the same options and different ones for another seed', () => {
    const options = { seed: 3, leads: 1500, now: NOW, batchSize: 400 };
    const first = [...generateDemoBatches(options)];
    expect([...generateDemoBatches(options)]).toEqual(first);
    expect([...generateDemoBatches({ ...options, seed: 4 })]).not.toEqual(first);
  });

  it('gives the same leads whatever the batch size', () => {
    const emails = (batchSize: number) =>
      [...generateDemoBatches({ seed: 5, leads: 900, now: NOW, batchSize })].flatMap((batch) =>
        batch.leads.map((lead) => lead.email),
      );
    expect(emails(7)).toEqual(emails(1000));
  });

  it('yields full batches of batchSize (1000 by default) and a remainder', () => {
    const sizes = (batchSize?: number) =>
      [...generateDemoBatches({ seed: 1, leads: 2500, now: NOW, batchSize })].map(
        (batch) => batch.leads.length,
      );
    expect(sizes(1000)).toEqual([1000, 1000, 500]);
    expect(sizes()).toEqual([1000, 1000, 500]);
    expect(sizes(600)).toEqual([600, 600, 600, 600, 100]);
    expect(run.map((batch) => batch.leads.length).reduce((a, b) => a + b)).toBe(20_000);
  });

  it('streams: the first batch of a million leads comes without generating the rest', () => {
    const batches = generateDemoBatches({ seed: 1, leads: 1_000_000, now: NOW });
    const started = performance.now();
    const first = batches.next();
    expect(first.done).toBe(false);
    expect(first.value?.leads).toHaveLength(1000);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('gives every lead a unique lower-case email on a reserved .example domain', () => {
    const emails = leads.map(({ lead }) => lead.email);
    expect(new Set(emails).size).toBe(emails.length);
    expect(emails.filter((email) => !/^[a-z0-9.]+@[a-z0-9-]+\.example$/.test(email))).toEqual([]);
  });

  it('fills the lead fields with plausible values', () => {
    const implausible = leads.filter(
      ({ lead }) =>
        !/^[A-Z]{2}$/.test(lead.country) ||
        !(Number.isInteger(lead.companySize) && lead.companySize > 0) ||
        !(lead.firstName && lead.lastName && lead.company && lead.jobTitle) ||
        typeof lead.customAttributes.crm !== 'string' ||
        typeof lead.customAttributes.annual_revenue_band !== 'string',
    );
    expect(implausible).toEqual([]);
    const distinct = (field: keyof DemoLead) => new Set(leads.map(({ lead }) => lead[field])).size;
    expect(distinct('industry')).toBeGreaterThan(10);
    expect(distinct('source')).toBe(10);
    expect(distinct('status')).toBe(5);
    expect(leads.some(({ lead }) => lead.phone === null)).toBe(true);
    expect(leads.some(({ lead }) => lead.phone !== null)).toBe(true);
  });

  it('creates leads over the last 365 days', () => {
    const outside = leads.filter(({ lead }) => {
      const age = NOW.getTime() - lead.createdAt.getTime();
      return !(age >= 0 && age < CREATION_WINDOW_MS);
    });
    expect(outside).toEqual([]);
  });

  it('points every activity at a lead of its batch and keeps it inside the observable window', () => {
    const orphans = run.flatMap(({ leads: batchLeads, activities }) =>
      activities.filter(
        ({ leadIndex }) =>
          !(Number.isInteger(leadIndex) && leadIndex >= 0 && leadIndex < batchLeads.length),
      ),
    );
    expect(orphans).toEqual([]);
    const outside = leads.filter(({ lead, timestamps }) => {
      const isDecided = lead.status === 'converted' || lead.status === 'lost';
      // A decided lead shows nothing after its outcome: training must not see the future.
      const end = isDecided
        ? Math.min(NOW.getTime(), lead.statusChangedAt?.getTime() ?? Number.NaN)
        : NOW.getTime();
      return timestamps.some((at) => !(at >= lead.createdAt.getTime() && at <= end));
    });
    expect(outside).toEqual([]);
  });

  it('sets lastActivityAt to the latest activity, or null when there is none', () => {
    const wrong = leads.filter(
      ({ lead, timestamps }) =>
        (lead.lastActivityAt?.getTime() ?? null) !==
        (timestamps.length === 0 ? null : Math.max(...timestamps)),
    );
    expect(wrong).toEqual([]);
  });

  it('averages 6–12 activities per lead, and some leads have none', () => {
    const total = leads.reduce((sum, { timestamps }) => sum + timestamps.length, 0);
    expect(total / leads.length).toBeGreaterThanOrEqual(6);
    expect(total / leads.length).toBeLessThanOrEqual(12);
    expect(leads.some(({ timestamps }) => timestamps.length === 0)).toBe(true);
  });

  it('decides exactly the leads older than the outcome horizon, with an outcome date', () => {
    const misjudged = leads.filter(({ lead }) => {
      const isDecided = lead.status === 'converted' || lead.status === 'lost';
      const createdAt = lead.createdAt.getTime();
      if (isDecided !== NOW.getTime() - createdAt > OUTCOME_HORIZON_MS) return true;
      const decidedAt = lead.statusChangedAt?.getTime() ?? Number.NaN;
      return isDecided && !(decidedAt >= createdAt && decidedAt <= createdAt + OUTCOME_HORIZON_MS);
    });
    expect(misjudged).toEqual([]);
    expect(decided.length).toBeGreaterThan(0);
  });

  it('dates the status of undecided leads between creation and now, and leaves new ones undated', () => {
    const misdated = leads.filter(({ lead }) => {
      if (lead.status === 'new') return lead.statusChangedAt !== null;
      if (lead.status !== 'contacted' && lead.status !== 'qualified') return false;
      const changedAt = lead.statusChangedAt?.getTime() ?? Number.NaN;
      return !(changedAt >= lead.createdAt.getTime() && changedAt <= NOW.getTime());
    });
    expect(misdated).toEqual([]);
  });

  it('converts 15–30% of decided leads', () => {
    const rate = converted.length / decided.length;
    expect(rate).toBeGreaterThanOrEqual(0.15);
    expect(rate).toBeLessThanOrEqual(0.3);
  });

  it('is learnable: converted leads show clearly more high-intent activity than lost ones', () => {
    expect(meanHighIntent(converted)).toBeGreaterThanOrEqual(1.5 * meanHighIntent(lost));
    const auc = rocAuc(
      decided.map(({ lead, highIntent }) => ({
        score: highIntent,
        positive: lead.status === 'converted',
      })),
    );
    expect(auc).toBeGreaterThan(0.7);
  });

  describe('rejects invalid options with a RangeError', () => {
    it.each([
      ['a fractional seed', { seed: 1.5, leads: 10, now: NOW }],
      ['zero leads', { seed: 1, leads: 0, now: NOW }],
      ['negative leads', { seed: 1, leads: -5, now: NOW }],
      ['fractional leads', { seed: 1, leads: 2.5, now: NOW }],
      ['a zero batch size', { seed: 1, leads: 10, now: NOW, batchSize: 0 }],
      ['a fractional batch size', { seed: 1, leads: 10, now: NOW, batchSize: 1.5 }],
      ['an invalid date', { seed: 1, leads: 10, now: new Date(Number.NaN) }],
    ])('%s', (_, options) => {
      expect(() => generateDemoBatches(options)).toThrow(RangeError);
    });
  });
});
