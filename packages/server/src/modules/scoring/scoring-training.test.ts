import {
  createRng,
  defaultRulesModel,
  type LeadActivity,
  leadFeatureSchema,
} from '@leadscore/engine';
import { describe, expect, it } from 'vitest';
import { loadScoringModel } from '../../pipeline/scoring-model.js';
import { type DecidedLead, TrainingDataError, trainOnHistory } from './scoring-training.js';

const DAY_MS = 86_400_000;
const NOW = new Date('2026-06-01T00:00:00Z');
const FEATURES = defaultRulesModel().features;

/**
 * Leads whose outcome follows a plain story: demo requests and senior titles convert. Some
 * activities come after the outcome, and only a model that looked at them would rank
 * by them.
 */
function history(count: number, seed: number): DecidedLead[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, (_, i) => {
    const decidedAt = NOW.getTime() - (10 + i) * DAY_MS;
    const keen = rng.next() < 0.4;
    const converted = keen ? rng.next() < 0.8 : rng.next() < 0.15;
    const activities: LeadActivity[] = [
      { type: 'page_view', timestamp: decidedAt - 5 * DAY_MS },
      ...(keen ? [{ type: 'demo_request', timestamp: decidedAt - 2 * DAY_MS }] : []),
      // After the outcome: never seen by training.
      { type: converted ? 'meeting_booked' : 'unsubscribe', timestamp: decidedAt + DAY_MS },
    ];
    return {
      profile: {
        email: `lead${i}@acme${i % 7}.example`,
        jobTitle: keen ? 'VP Marketing' : 'Intern',
        companySize: 50 + i,
        industry: 'Software',
        country: 'US',
        createdAt: decidedAt - 20 * DAY_MS,
      },
      activities,
      decidedAt,
      converted,
    };
  });
}

describe('training on decided leads', () => {
  it('learns from features as of each outcome and reports cross-validated and holdout metrics', () => {
    const { model, metrics } = trainOnHistory(
      history(200, 1),
      { algorithm: 'logistic', modelType: 'composite', features: FEATURES },
      NOW,
    );
    expect(model?.type).toBe('logistic');
    expect(metrics).toMatchObject({ rows: 200, skippedLeads: 0, rocAucSource: 'cross_validation' });
    expect(metrics.crossValidation?.perFold).toHaveLength(5);
    // The story is there to learn, but only up to its noise: nowhere near a perfect ranking,
    // which the events after each outcome would give.
    expect(metrics.rocAuc).toBeGreaterThan(0.7);
    expect(metrics.rocAuc).toBeLessThan(0.95);
    const meetings = metrics.featureImportance.find((f) => f.feature === 'meeting_booked_total');
    expect(meetings?.meanAbsShap).toBe(0);
  });

  it('uses only the feature groups of the model type', () => {
    const { model } = trainOnHistory(
      history(120, 2),
      { algorithm: 'gbdt', modelType: 'demographic', features: FEATURES },
      NOW,
    );
    const scoring = loadScoringModel({ algorithm: 'gbdt', features: FEATURES, model });
    expect(scoring.algorithm).toBe('gbdt');
    const groupOf = new Map(leadFeatureSchema(FEATURES).map((f) => [f.name, f.group]));
    const groups = new Set(model?.importance.map((f) => groupOf.get(f.feature)));
    expect([...groups]).toEqual(['demographic']);
  });

  it('evaluates a rules model on every decided lead without fitting anything', () => {
    const { model, metrics } = trainOnHistory(
      history(100, 3),
      { algorithm: 'rules', rules: defaultRulesModel() },
      NOW,
    );
    expect(model).toBeNull();
    expect(metrics).toMatchObject({ rows: 100, rocAucSource: 'evaluation', crossValidation: null });
    expect(metrics.holdout.rows).toBe(100);
    expect(metrics.rocAuc).toBe(metrics.holdout.rocAuc);
  });

  it('refuses a history with too few outcomes of either kind, saying how many it has', () => {
    const leads = history(40, 4).map((lead, i) => ({ ...lead, converted: i < 5 }));
    expect(() =>
      trainOnHistory(leads, { algorithm: 'gbdt', modelType: 'composite', features: FEATURES }, NOW),
    ).toThrow(
      new TrainingDataError(
        'Training needs at least 10 converted and 10 lost leads; the window holds 5 converted and 35 lost',
      ),
    );
  });

  it('leaves out a lead whose history the feature code rejects, and counts it', () => {
    const leads = history(60, 5);
    const broken = leads[0] as DecidedLead;
    leads[0] = { ...broken, activities: [{ type: '', timestamp: broken.decidedAt - DAY_MS }] };
    const { metrics } = trainOnHistory(
      leads,
      { algorithm: 'logistic', modelType: 'behavioral', features: FEATURES },
      NOW,
    );
    expect(metrics).toMatchObject({ rows: 59, skippedLeads: 1 });
  });
});
