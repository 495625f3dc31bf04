import { describe, expect, it } from 'vitest';
import { fromDraft, newRule, toDraft } from './rules-draft';
import type { RulesJson } from './rules-json';

const RULES: RulesJson = {
  format: 'leadscore-rules',
  formatVersion: 1,
  features: {
    halfLifeDays: { page_view: 7 },
    defaultHalfLifeDays: 30,
    industries: [{ name: 'Software', fit: 1 }],
  },
  rules: [
    {
      id: 'seniority',
      description: 'Senior title',
      group: 'fit',
      criterion: { feature: 'title_seniority', op: 'in', value: ['c_level', 'vp'] },
      points: 25,
    },
    {
      id: 'mid-market',
      description: '51 to 1000 employees',
      group: 'fit',
      criterion: { attribute: 'profile.companySize', op: 'between', value: [51, 1000] },
      points: 20,
    },
    {
      id: 'clicks',
      description: 'Per click',
      group: 'engagement',
      criterion: { feature: 'email_click_decayed', op: 'gte', value: 0.1 },
      points: 5,
      perUnit: true,
      maxPoints: 15,
    },
    {
      id: 'has-plan',
      description: 'Plan known',
      group: 'engagement',
      criterion: { attribute: 'custom.plan', op: 'exists' },
      points: 3,
    },
  ],
  caps: { fit: { min: 0, max: 100 }, engagement: { min: -20, max: 100 } },
  weights: { fit: 0.4, engagement: 0.6 },
  grades: { fit: { A: 70, B: 45, C: 20 }, engagement: { '1': 50, '2': 25, '3': 10 } },
};

describe('the rules draft', () => {
  it('gives back the same points model when nothing was edited', () => {
    expect(fromDraft(toDraft(RULES))).toEqual(RULES);
  });

  it('turns typed text into the values each subject takes', () => {
    const draft = toDraft(RULES);
    const [seniority, midMarket, clicks, plan] = draft.rules as [
      (typeof draft.rules)[number],
      (typeof draft.rules)[number],
      (typeof draft.rules)[number],
      (typeof draft.rules)[number],
    ];
    expect(seniority.value).toBe('c_level, vp');
    const edited = fromDraft({
      ...draft,
      rules: [
        { ...seniority, value: 'director,  manager ,' },
        { ...midMarket, valueTo: '5000' },
        { ...clicks, perUnit: false, points: '-7.5' },
        { ...plan, subject: 'profile.jobTitle', op: 'equals', value: '42' },
      ],
      settings: { ...draft.settings, 'caps.fit.max': '80', 'features.halfLifeDays.page_view': '3' },
    });
    expect(edited.rules.map((rule) => rule.criterion)).toEqual([
      { feature: 'title_seniority', op: 'in', value: ['director', 'manager'] },
      { attribute: 'profile.companySize', op: 'between', value: [51, 5000] },
      { feature: 'email_click_decayed', op: 'gte', value: 0.1 },
      // A text profile field compares text, even digits.
      { attribute: 'profile.jobTitle', op: 'equals', value: '42' },
    ]);
    expect(edited.rules[2]).toEqual({
      id: 'clicks',
      description: 'Per click',
      group: 'engagement',
      criterion: { feature: 'email_click_decayed', op: 'gte', value: 0.1 },
      points: -7.5,
    });
    expect(edited.caps.fit.max).toBe(80);
    expect(edited.features.halfLifeDays.page_view).toBe(3);
    expect(edited.features.industries).toEqual(RULES.features.industries);
  });

  it('sends text that is not a number as it is, for the API to name the field', () => {
    const draft = toDraft(RULES);
    const edited = fromDraft({
      ...draft,
      settings: { ...draft.settings, 'weights.fit': 'forty' },
    });
    expect(edited.weights.fit).toBe('forty');
  });

  it('names a new rule with an id no other rule has', () => {
    const draft = toDraft(RULES);
    const first = newRule('fit', draft.rules);
    expect(first.id).toBe('fit-rule-5');
    expect(newRule('fit', [...draft.rules, first]).id).toBe('fit-rule-6');
  });
});
