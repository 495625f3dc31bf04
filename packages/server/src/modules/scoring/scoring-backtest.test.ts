import { computeLeadFeatures, type LeadActivity, type LeadProfile } from '@leadscore/engine';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCORING_MODEL } from '../../pipeline/scoring-model.js';
import { backtestModel } from './scoring-backtest.js';
import { type DecidedLead, TrainingDataError } from './scoring-training.js';

const DAY_MS = 86_400_000;
const MODEL = DEFAULT_SCORING_MODEL;

const profile = (i: number, senior: boolean): LeadProfile => ({
  email: `lead${i}@acme${i % 5}.example`,
  jobTitle: senior ? 'VP Marketing' : 'Intern',
  companySize: senior ? 400 : 5,
  industry: 'Software',
  country: 'US',
  createdAt: Date.parse('2026-01-01T00:00:00Z'),
});

/**
 * Keen leads ask for a demo (in January for even i, in March for odd i) and mostly convert;
 * the others read one page and mostly do not. Every lead is decided on 1 May.
 */
function history(count: number): DecidedLead[] {
  const decidedAt = Date.parse('2026-05-01T00:00:00Z');
  return Array.from({ length: count }, (_, i) => {
    const keen = i % 3 !== 0;
    const demoAt = Date.parse(i % 2 === 0 ? '2026-01-15T10:00:00Z' : '2026-03-10T10:00:00Z');
    const activities: LeadActivity[] = keen
      ? [
          { type: 'page_view', timestamp: demoAt - DAY_MS, data: { url: '/pricing' } },
          { type: 'demo_request', timestamp: demoAt },
        ]
      : [{ type: 'page_view', timestamp: decidedAt - 3 * DAY_MS, data: { url: '/blog' } }];
    return {
      profile: profile(i, keen),
      activities,
      decidedAt,
      converted: keen ? i % 7 !== 1 : i % 9 === 0,
    };
  });
}

/** The score a lead has as of `asOf`, computed from scratch rather than replayed. */
function scoreFromScratch(lead: DecidedLead, asOf: number): number {
  const seen = lead.activities.filter((activity) => activity.timestamp <= asOf);
  const features = computeLeadFeatures(lead.profile, seen, asOf, MODEL.features);
  return MODEL.score(lead.profile, features).score;
}

/** ROC AUC as the share of (converted, lost) pairs ranked right, ties counting half. */
function pairwiseAuc(scores: readonly number[], converted: readonly boolean[]): number {
  let wins = 0;
  let pairs = 0;
  scores.forEach((p, i) => {
    if (!converted[i]) return;
    scores.forEach((n, j) => {
      if (converted[j]) return;
      pairs++;
      wins += p > n ? 1 : p === n ? 0.5 : 0;
    });
  });
  return wins / pairs;
}

describe('backtesting a model on decided leads', () => {
  const leads = history(60);

  it('ranks leads by their score on the day they were decided', () => {
    const report = backtestModel(leads, MODEL, 60);
    const atOutcome = leads.map((lead) => scoreFromScratch(lead, lead.decidedAt));
    const converted = leads.map((lead) => lead.converted);
    expect(report).toMatchObject({
      leads: 60,
      converted: converted.filter(Boolean).length,
      skippedLeads: 0,
    });
    expect(report.rocAuc).toBeCloseTo(pairwiseAuc(atOutcome, converted), 12);
    const bandTotal = report.conversionByBand.reduce((sum, band) => sum + band.count, 0);
    expect(bandTotal).toBe(60);
    expect(report.lift[0]?.decile).toBe(1);
  });

  it('counts each lead as an MQL in the month its score first reached the line', () => {
    // The line: what a keen lead scores right after its demo request, above anything a
    // one-page reader reaches.
    const keen = leads[1] as DecidedLead;
    const line = scoreFromScratch(keen, keen.activities[1]?.timestamp as number);
    const reader = leads[0] as DecidedLead;
    expect(scoreFromScratch(reader, reader.decidedAt)).toBeLessThan(line);

    const report = backtestModel(leads, MODEL, line);
    const expected = new Map<string, { mqls: number; converted: number }>();
    for (const lead of leads) {
      const first = lead.activities.find(
        (activity) => scoreFromScratch(lead, activity.timestamp) >= line,
      );
      if (!first) continue;
      const month = new Date(first.timestamp).toISOString().slice(0, 7);
      const counts = expected.get(month) ?? { mqls: 0, converted: 0 };
      counts.mqls++;
      if (lead.converted) counts.converted++;
      expected.set(month, counts);
    }
    expect(report.mqlsByMonth.map((m) => m.month)).toEqual(['2026-01', '2026-03']);
    expect(report.mqlsByMonth).toEqual(
      [...expected].sort(([a], [b]) => a.localeCompare(b)).map(([month, c]) => ({ month, ...c })),
    );
    const mqls = report.mqlsByMonth.reduce((sum, m) => sum + m.mqls, 0);
    const convertedMqls = report.mqlsByMonth.reduce((sum, m) => sum + m.converted, 0);
    expect(report.mqlPrecision).toBeCloseTo(convertedMqls / mqls, 12);
    expect(report.mqlRecall).toBeCloseTo(convertedMqls / report.converted, 12);
  });

  it('never looks at what happened after the outcome', () => {
    const withAftermath = leads.map((lead) => ({
      ...lead,
      activities: [
        ...lead.activities,
        {
          type: lead.converted ? 'demo_request' : 'unsubscribe',
          timestamp: lead.decidedAt + DAY_MS,
        },
      ],
    }));
    expect(backtestModel(withAftermath, MODEL, 50)).toEqual(backtestModel(leads, MODEL, 50));
  });

  it('skips a lead whose history the feature code rejects, and counts it', () => {
    const broken = [...leads];
    const first = broken[0] as DecidedLead;
    broken[0] = { ...first, activities: [{ type: '', timestamp: first.decidedAt - DAY_MS }] };
    expect(backtestModel(broken, MODEL, 50)).toMatchObject({ leads: 59, skippedLeads: 1 });
  });

  it('refuses a history of one outcome only', () => {
    const allWon = leads.map((lead) => ({ ...lead, converted: true }));
    expect(() => backtestModel(allWon, MODEL, 50)).toThrow(TrainingDataError);
  });
});
