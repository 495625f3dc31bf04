import {
  computeLeadFeatures,
  createRng,
  defaultRulesModel,
  featureImportance,
  type LeadActivity,
  type LeadProfile,
  leadFeatureMatrix,
  trainGbdt,
} from '@leadscore/engine';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SCORING_MODEL,
  leadModelJSON,
  loadScoringModel,
  ScoringModelError,
} from './scoring-model.js';

const DAY_MS = 86_400_000;
const NOW = Date.UTC(2026, 5, 1);
const FEATURES = defaultRulesModel().features;

const KEEN: LeadProfile = {
  email: 'ada@acme.example',
  jobTitle: 'VP of Sales',
  companySize: 300,
  industry: 'Software',
  country: 'US',
};
const KEEN_ACTIVITIES: LeadActivity[] = [
  { type: 'pricing_view', timestamp: NOW - DAY_MS },
  { type: 'demo_request', timestamp: NOW - 3_600_000 },
];

/** A small tree model over lead features: demo requests and senior titles both convert. */
function trainedConfig() {
  const rng = createRng(7);
  const leads = Array.from({ length: 200 }, (_, i) => {
    const keen = rng.next() < 0.5;
    const senior = rng.next() < 0.5;
    return {
      profile: { ...KEEN, jobTitle: senior ? 'VP of Sales' : 'Intern', email: `l${i}@x.example` },
      activities: keen ? KEEN_ACTIVITIES : [{ type: 'page_view', timestamp: NOW - DAY_MS }],
      converted: rng.next() < 0.1 + (keen ? 0.4 : 0) + (senior ? 0.4 : 0),
    };
  });
  const matrix = leadFeatureMatrix(leads, NOW, FEATURES);
  const labels = Uint8Array.from(leads, (lead) => (lead.converted ? 1 : 0));
  const model = trainGbdt(matrix, labels, { seed: 1, maxIterations: 20, minSamplesLeaf: 5 });
  return {
    algorithm: 'gbdt',
    features: FEATURES,
    model: leadModelJSON(model, featureImportance(model, matrix)),
  };
}

describe('scoring models from stored configs', () => {
  const trained = loadScoringModel(JSON.parse(JSON.stringify(trainedConfig())));

  it('scores with a trained model: a breakdown that adds up to the score, reasons in words, a confidence', () => {
    const features = computeLeadFeatures(KEEN, KEEN_ACTIVITIES, NOW, trained.features);
    const { score, breakdown, confidence } = trained.score(KEEN, features);
    const parts = breakdown as Record<string, number>;
    expect(
      (parts.baseline ?? 0) +
        (parts.behavioral ?? 0) +
        (parts.demographic ?? 0) +
        (parts.engagement ?? 0),
    ).toBe(score);
    expect(score).toBeGreaterThan(50);
    const reasons = breakdown.reasons as { positive: string[]; negative: string[] };
    expect(reasons.positive.length).toBeGreaterThan(0);
    expect(reasons.positive.join(' | ')).toMatch(/demo|VP-level/);
    expect(confidence).toBe(1);
    // Without the explanation, the same score.
    expect(trained.score(KEEN, features, { explain: false }).score).toBe(score);
  });

  it('has less confidence in a lead it knows less about', () => {
    const stranger: LeadProfile = { email: 'x@y.example' };
    const features = computeLeadFeatures(stranger, [], NOW, trained.features);
    const { confidence } = trained.score(stranger, features);
    expect(confidence).not.toBeNull();
    expect(confidence as number).toBeLessThan(1);
  });

  it('scores with rules as the scorer always has, and the default model is the default rules', () => {
    expect(DEFAULT_SCORING_MODEL.rules).toEqual(defaultRulesModel());
    const rules = loadScoringModel({ algorithm: 'rules', rules: defaultRulesModel() });
    const features = computeLeadFeatures(KEEN, KEEN_ACTIVITIES, NOW, rules.features);
    const { score, breakdown, confidence } = rules.score(KEEN, features);
    expect(breakdown).toMatchObject({ grade: expect.stringMatching(/^[A-D][1-4]$/) });
    const parts = breakdown as Record<string, number>;
    expect((parts.behavioral ?? 0) + (parts.demographic ?? 0) + (parts.engagement ?? 0)).toBe(
      score,
    );
    expect(confidence).toBeNull();
  });

  it('refuses features computed with another config, and configs it cannot read', () => {
    const other = { ...FEATURES, industries: [{ name: 'Mining', fit: 1 }] };
    const features = computeLeadFeatures(KEEN, KEEN_ACTIVITIES, NOW, other);
    expect(() => trained.score(KEEN, features)).toThrow(ScoringModelError);
    // A model trained on another config's categories does not fit this one.
    expect(() => loadScoringModel({ ...trainedConfig(), features: other })).toThrow(
      /feature "industry"/,
    );
    expect(() => loadScoringModel({ algorithm: 'forest' })).toThrow(
      'algorithm "forest" is not one of rules, gbdt, logistic',
    );
    expect(() => loadScoringModel({ algorithm: 'gbdt', features: FEATURES })).toThrow(
      /still training/,
    );
  });
});
