import { describe, expect, it } from 'vitest';
import { defaultRulesModel } from './default-model.js';
import { RulesConfigError } from './errors.js';
import { rulesFromJSON } from './rules-json.js';

type Json = Record<string, unknown>;

const stored = (): Json => JSON.parse(JSON.stringify(defaultRulesModel()));

/** The stored default model with its first rule's criterion replaced. */
function withCriterion(criterion: Json): Json {
  const model = stored();
  const rules = model.rules as Json[];
  rules[0] = { ...rules[0], criterion };
  return model;
}

function withRule(changes: Json): Json {
  const model = stored();
  const rules = model.rules as Json[];
  rules[0] = { ...rules[0], ...changes };
  return model;
}

describe('rulesFromJSON', () => {
  it('reads back the stored default model', () => {
    expect(rulesFromJSON(stored())).toEqual(defaultRulesModel());
  });

  it.each<[string, Json, RegExp]>([
    [
      'another format',
      { ...stored(), format: 'mautic' },
      /^format: expected "leadscore-rules", got "mautic"/,
    ],
    [
      'a newer version',
      { ...stored(), formatVersion: 2 },
      /^formatVersion: this engine reads version 1, got 2/,
    ],
    [
      'an unknown feature, with the closest name',
      withCriterion({ feature: 'pricing_views_7d', op: 'gte', value: 1 }),
      /^rules\[0\]\.criterion\.feature: "pricing_views_7d" is not a lead feature; did you mean "pricing_view_7d"\?/,
    ],
    [
      'an unknown operator',
      withCriterion({ feature: 'pricing_view_7d', op: '>=', value: 1 }),
      /^rules\[0\]\.criterion\.op: ">=" is not an operator; use one of equals, in, contains, gte, lte, between, exists/,
    ],
    [
      'a numeric test on a categorical feature',
      withCriterion({ feature: 'title_seniority', op: 'gte', value: 2 }),
      /^rules\[0\]\.criterion\.op: "gte" compares numbers; this subject holds categories/,
    ],
    [
      'a category the feature does not have',
      withCriterion({ feature: 'title_seniority', op: 'in', value: ['vp', 'boss'] }),
      /^rules\[0\]\.criterion\.value\[1\]: "boss" is not a category here; use one of c_level, vp/,
    ],
    [
      'text for a numeric feature',
      withCriterion({ feature: 'company_size', op: 'equals', value: 'big' }),
      /^rules\[0\]\.criterion\.value: must be a finite number, got "big"/,
    ],
    [
      'an unknown attribute',
      withCriterion({ attribute: 'profile.phone', op: 'exists' }),
      /^rules\[0\]\.criterion\.attribute: "profile\.phone" is not an attribute/,
    ],
    [
      'both a feature and an attribute',
      withCriterion({ feature: 'company_size', attribute: 'profile.companySize', op: 'exists' }),
      /^rules\[0\]\.criterion: give exactly one of "feature" and "attribute"/,
    ],
    [
      'a reversed range',
      withCriterion({ feature: 'company_size', op: 'between', value: [500, 50] }),
      /^rules\[0\]\.criterion\.value: low 500 is above high 50/,
    ],
    [
      'a value for exists',
      withCriterion({ feature: 'company_size', op: 'exists', value: 1 }),
      /^rules\[0\]\.criterion\.value: "exists" takes no value/,
    ],
    [
      'contains on a number',
      withCriterion({ attribute: 'profile.companySize', op: 'contains', value: '5' }),
      /^rules\[0\]\.criterion\.op: "contains" looks for text/,
    ],
    [
      'a bad group',
      withRule({ group: 'intent' }),
      /^rules\[0\]\.group: must be "fit" or "engagement"/,
    ],
    [
      'points that are not a number',
      withRule({ points: '10' }),
      /^rules\[0\]\.points: must be a finite number/,
    ],
    ['an id with spaces', withRule({ id: 'my rule' }), /^rules\[0\]\.id: "my rule" must match/],
    [
      'per-unit points on a categorical feature',
      withRule({ perUnit: true }),
      /^rules\[0\]\.perUnit: needs a numeric feature/,
    ],
    [
      'maxPoints without perUnit',
      withRule({ maxPoints: 5 }),
      /^rules\[0\]\.maxPoints: needs "perUnit": true/,
    ],
    [
      'a repeated id',
      withRule({ id: 'seniority-director' }),
      /^rules\[1\]\.id: "seniority-director" is used by an earlier rule/,
    ],
    [
      'a cap floor above 0',
      { ...stored(), caps: { fit: { min: 10, max: 100 }, engagement: { min: 0, max: 100 } } },
      /^caps\.fit\.min: must be <= 0/,
    ],
    [
      'weights not adding up to 1',
      { ...stored(), weights: { fit: 0.5, engagement: 0.6 } },
      /^weights: fit and engagement must add up to 1, got 1\.1/,
    ],
    [
      'grade thresholds out of order',
      {
        ...stored(),
        grades: { fit: { A: 70, B: 80, C: 20 }, engagement: { 1: 50, 2: 25, 3: 10 } },
      },
      /^grades\.fit\.B: must be below A \(70\)/,
    ],
    [
      'a bad embedded feature config',
      { ...stored(), features: { ...(stored().features as Json), defaultHalfLifeDays: 0 } },
      /^features\.defaultHalfLifeDays: must be > 0/,
    ],
    [
      'an unknown top-level field',
      { ...stored(), version: 1 },
      /^model\.version: is not a known field/,
    ],
  ])('refuses %s, naming the field', (_, json, message) => {
    expect(() => rulesFromJSON(json)).toThrow(RulesConfigError);
    expect(() => rulesFromJSON(json)).toThrow(message);
  });

  it('accepts rules on custom activity types the features track', () => {
    const model = stored();
    model.features = { ...(model.features as Json), customTypes: ['custom:trial_started'] };
    model.rules = [
      {
        id: 'trial',
        description: 'Started a trial',
        group: 'engagement',
        criterion: { feature: 'custom:trial_started_30d', op: 'gte', value: 1 },
        points: 40,
      },
    ];
    expect(rulesFromJSON(model).rules).toHaveLength(1);
  });
});
