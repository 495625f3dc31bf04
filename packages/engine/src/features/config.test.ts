import { describe, expect, it } from 'vitest';
import { computeLeadFeatures } from './compute.js';
import { defaultLeadFeatureConfig, leadFeatureConfigFromJSON } from './config.js';

const valid = () => JSON.parse(JSON.stringify(defaultLeadFeatureConfig()));

describe('leadFeatureConfigFromJSON', () => {
  it('accepts the default config as JSON', () => {
    expect(leadFeatureConfigFromJSON(valid())).toEqual(defaultLeadFeatureConfig());
  });

  it.each([
    [
      'an unknown field',
      (c: Record<string, unknown>) => ({ ...c, extra: 1 }),
      /features\.extra: is not a known field/,
    ],
    [
      'a half-life of 0',
      (c: Record<string, unknown>) => ({ ...c, halfLifeDays: { page_view: 0 } }),
      /features\.halfLifeDays\.page_view: must be > 0/,
    ],
    [
      'a half-life for an untracked type',
      (c: Record<string, unknown>) => ({ ...c, halfLifeDays: { 'custom:x': 3 } }),
      /features\.halfLifeDays\.custom:x: is not a known field/,
    ],
    [
      'a malformed custom type',
      (c: Record<string, unknown>) => ({ ...c, customTypes: ['trial'] }),
      /features\.customTypes\[0\]: "trial" must match/,
    ],
    [
      'a country listed twice',
      (c: Record<string, unknown>) => ({ ...c, countries: ['US', 'us'] }),
      /features\.countries\[1\]: "us" is listed twice/,
    ],
    [
      'the reserved category',
      (c: Record<string, unknown>) => ({ ...c, sources: ['Other'] }),
      /features\.sources\[0\]: "Other" is reserved/,
    ],
    [
      'an industry fit above 1',
      (c: Record<string, unknown>) => ({ ...c, industries: [{ name: 'Software', fit: 2 }] }),
      /features\.industries\[0\]\.fit: must be <= 1/,
    ],
    [
      'a missing field',
      ({ sources: _, ...c }: Record<string, unknown>) => c,
      /features\.sources: must be an array, got nothing/,
    ],
  ])('refuses %s, naming the field', (_, edit, message) => {
    expect(() => leadFeatureConfigFromJSON(edit(valid()))).toThrow(message);
  });

  it('is checked when features are computed', () => {
    const bad = { ...defaultLeadFeatureConfig(), defaultHalfLifeDays: -1 };
    expect(() => computeLeadFeatures({}, [], 0, bad)).toThrow(/defaultHalfLifeDays: must be > 0/);
  });
});
