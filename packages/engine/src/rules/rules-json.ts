/**
 * Reads a rules model from JSON, refusing anything it cannot score with: another format or
 * version, an unknown feature or attribute, an operator or value that does not suit its
 * subject, caps, weights or grade thresholds out of order. Each error names the field.
 */

import { readLeadFeatureConfig } from '../features/config.js';
import { leadFeatureSchema, normaliseLabel } from '../features/index.js';
import { createJsonReader, type JsonReader } from '../features/json-reader.js';
import type { Feature } from '../matrix.js';
import { RulesConfigError } from './errors.js';
import { attributeReader } from './subjects.js';
import type { Criterion, CriterionTest, PointsCap, Rule, RulesModelConfig } from './types.js';

export const RULES_FORMAT = 'leadscore-rules';
export const RULES_FORMAT_VERSION = 1;

const OPS = ['equals', 'in', 'contains', 'gte', 'lte', 'between', 'exists'] as const;
const NUMERIC_OPS: readonly string[] = ['gte', 'lte', 'between'];
const RULE_ID = /^[a-z0-9][a-z0-9_.-]{0,63}$/;

/**
 * Checks a stored rules model and returns it typed; throws `RulesConfigError` naming the first
 * field at fault (e.g. `rules[3].criterion.op`).
 *
 * @example
 * const model = rulesFromJSON(JSON.parse(storedConfigText));
 * scoreWithRules(model, profile, computeLeadFeatures(profile, activities, now, model.features));
 */
export function rulesFromJSON(json: unknown): RulesModelConfig {
  const read = createJsonReader((message) => new RulesConfigError(message));
  const body = read.object(json, 'model', [
    'format',
    'formatVersion',
    'features',
    'rules',
    'caps',
    'weights',
    'grades',
  ]);
  if (body.format !== RULES_FORMAT) {
    read.fail('format', `expected "${RULES_FORMAT}", got ${JSON.stringify(body.format)}`);
  }
  if (body.formatVersion !== RULES_FORMAT_VERSION) {
    read.fail(
      'formatVersion',
      `this engine reads version ${RULES_FORMAT_VERSION}, got ${JSON.stringify(body.formatVersion)}`,
    );
  }
  const features = readLeadFeatureConfig(
    body.features,
    'features',
    (message) => new RulesConfigError(message),
  );
  const schema = leadFeatureSchema(features);
  const rules = read.array(body.rules, 'rules').map((rule, i) => readRule(read, rule, i, schema));
  const ids = new Set<string>();
  rules.forEach((rule, i) => {
    if (ids.has(rule.id)) read.fail(`rules[${i}].id`, `"${rule.id}" is used by an earlier rule`);
    ids.add(rule.id);
  });

  const caps = read.object(body.caps, 'caps', ['fit', 'engagement']);
  const weights = read.object(body.weights, 'weights', ['fit', 'engagement']);
  const fitWeight = read.number(weights.fit, 'weights.fit', { min: 0, max: 1 });
  const engagementWeight = read.number(weights.engagement, 'weights.engagement', {
    min: 0,
    max: 1,
  });
  if (Math.abs(fitWeight + engagementWeight - 1) > 1e-9) {
    read.fail(
      'weights',
      `fit and engagement must add up to 1, got ${fitWeight + engagementWeight}`,
    );
  }
  const grades = read.object(body.grades, 'grades', ['fit', 'engagement']);
  const [A, B, C] = readThresholds(read, grades.fit, 'grades.fit', ['A', 'B', 'C']);
  const [one, two, three] = readThresholds(read, grades.engagement, 'grades.engagement', [
    '1',
    '2',
    '3',
  ]);

  return {
    format: RULES_FORMAT,
    formatVersion: RULES_FORMAT_VERSION,
    features,
    rules,
    caps: {
      fit: readCap(read, caps.fit, 'caps.fit'),
      engagement: readCap(read, caps.engagement, 'caps.engagement'),
    },
    weights: { fit: fitWeight, engagement: engagementWeight },
    grades: { fit: { A, B, C }, engagement: { '1': one, '2': two, '3': three } },
  };
}

function readRule(read: JsonReader, json: unknown, i: number, schema: readonly Feature[]): Rule {
  const at = `rules[${i}]`;
  const body = read.object(json, at, [
    'id',
    'description',
    'group',
    'criterion',
    'points',
    'perUnit',
    'maxPoints',
  ]);
  const group = read.string(body.group, `${at}.group`);
  if (group !== 'fit' && group !== 'engagement') {
    read.fail(`${at}.group`, `must be "fit" or "engagement", got ${JSON.stringify(group)}`);
  }
  const criterion = readCriterion(read, body.criterion, `${at}.criterion`, schema);
  const rule: Rule = {
    id: read.string(body.id, `${at}.id`, RULE_ID),
    description: read.string(body.description, `${at}.description`),
    group: group as Rule['group'],
    criterion,
    points: read.number(body.points, `${at}.points`),
  };
  if (body.perUnit === undefined || body.perUnit === false) {
    if (body.maxPoints !== undefined) read.fail(`${at}.maxPoints`, 'needs "perUnit": true');
    return rule;
  }
  if (body.perUnit !== true) read.fail(`${at}.perUnit`, 'must be true or false');
  const subject = 'feature' in criterion ? schema.find((f) => f.name === criterion.feature) : null;
  if (subject?.kind !== 'numeric') {
    read.fail(`${at}.perUnit`, 'needs a numeric feature as the criterion subject');
  }
  return body.maxPoints === undefined
    ? { ...rule, perUnit: true }
    : {
        ...rule,
        perUnit: true,
        maxPoints: read.number(body.maxPoints, `${at}.maxPoints`, { above: 0 }),
      };
}

/** What a subject holds decides which tests and values suit it. */
type SubjectKind =
  | { readonly kind: 'number' }
  | { readonly kind: 'text' }
  | { readonly kind: 'category'; readonly categories: readonly string[] }
  | { readonly kind: 'any' };

function readCriterion(
  read: JsonReader,
  json: unknown,
  at: string,
  schema: readonly Feature[],
): Criterion {
  const body = read.object(json, at, ['feature', 'attribute', 'op', 'value']);
  if ((body.feature === undefined) === (body.attribute === undefined)) {
    read.fail(at, 'give exactly one of "feature" and "attribute"');
  }
  let subject: { feature: string } | { attribute: string };
  let kind: SubjectKind;
  if (body.feature !== undefined) {
    const name = read.string(body.feature, `${at}.feature`);
    const feature = schema.find((f) => f.name === name);
    if (!feature) {
      read.fail(`${at}.feature`, `"${name}" is not a lead feature${suggestion(name, schema)}`);
    }
    subject = { feature: name };
    kind =
      feature?.kind === 'categorical'
        ? { kind: 'category', categories: feature.categories }
        : { kind: 'number' };
  } else {
    const name = read.string(body.attribute, `${at}.attribute`);
    const reader = attributeReader(name);
    if (!reader) {
      read.fail(
        `${at}.attribute`,
        `"${name}" is not an attribute; use profile.<field> (jobTitle, company, country, industry, ` +
          'companySize, source, email, emailDomain) or custom.<name>',
      );
    }
    subject = { attribute: name };
    kind = reader?.numeric ? { kind: 'number' } : reader?.text ? { kind: 'text' } : { kind: 'any' };
  }

  const op = read.string(body.op, `${at}.op`);
  if (!(OPS as readonly string[]).includes(op)) {
    read.fail(`${at}.op`, `"${op}" is not an operator; use one of ${OPS.join(', ')}`);
  }
  if (NUMERIC_OPS.includes(op) && (kind.kind === 'text' || kind.kind === 'category')) {
    read.fail(
      `${at}.op`,
      `"${op}" compares numbers; this subject holds ${kind.kind === 'text' ? 'text' : 'categories'}`,
    );
  }
  if (op === 'contains' && kind.kind !== 'text' && kind.kind !== 'any') {
    read.fail(`${at}.op`, '"contains" looks for text or a list item; this subject is not text');
  }
  const value = readTestValue(read, op as Criterion['op'], body.value, `${at}.value`, kind);
  return { ...subject, ...value } as Criterion;
}

function readTestValue(
  read: JsonReader,
  op: Criterion['op'],
  json: unknown,
  at: string,
  kind: SubjectKind,
): CriterionTest {
  const scalar = (value: unknown, path: string): string | number => {
    switch (kind.kind) {
      case 'number':
        return read.number(value, path);
      case 'text':
        return read.string(value, path);
      case 'category': {
        const label = read.string(value, path);
        const normalised = normaliseLabel(label);
        if (!kind.categories.some((category) => normaliseLabel(category) === normalised)) {
          read.fail(
            path,
            `"${label}" is not a category here; use one of ${kind.categories.join(', ')}`,
          );
        }
        return label;
      }
      case 'any':
        return typeof value === 'number' ? read.number(value, path) : read.string(value, path);
    }
  };
  switch (op) {
    case 'exists':
      if (json !== undefined) read.fail(at, '"exists" takes no value');
      return { op };
    case 'equals':
      if (kind.kind === 'any' && typeof json === 'boolean') return { op, value: json };
      return { op, value: scalar(json, at) };
    case 'in': {
      const list = read.array(json, at).map((item, i) => scalar(item, `${at}[${i}]`));
      if (list.length === 0) read.fail(at, 'must list at least one value');
      return { op, value: list };
    }
    case 'contains':
      return { op, value: read.string(json, at) };
    case 'gte':
    case 'lte':
      return { op, value: read.number(json, at) };
    case 'between': {
      const pair = read.array(json, at);
      if (pair.length !== 2) read.fail(at, 'must be [low, high]');
      const low = read.number(pair[0], `${at}[0]`);
      const high = read.number(pair[1], `${at}[1]`);
      if (low > high) read.fail(at, `low ${low} is above high ${high}`);
      return { op, value: [low, high] };
    }
  }
}

function readCap(read: JsonReader, json: unknown, at: string): PointsCap {
  const body = read.object(json, at, ['min', 'max']);
  const min = read.number(body.min, `${at}.min`, { max: 0 });
  const max = read.number(body.max, `${at}.max`, { above: 0 });
  return { min, max };
}

/** Three thresholds in 0–100, strictly descending. */
function readThresholds(
  read: JsonReader,
  json: unknown,
  at: string,
  keys: readonly [string, string, string],
): [number, number, number] {
  const body = read.object(json, at, keys);
  const values = keys.map((key) => read.number(body[key], `${at}.${key}`, { min: 0, max: 100 }));
  values.forEach((value, i) => {
    if (i > 0 && value >= (values[i - 1] as number)) {
      read.fail(`${at}.${keys[i]}`, `must be below ${keys[i - 1]} (${values[i - 1]})`);
    }
  });
  return values as [number, number, number];
}

/** "; did you mean …?" for the closest feature name, when one is close. */
function suggestion(name: string, schema: readonly Feature[]): string {
  let best = '';
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const feature of schema) {
    const distance = editDistance(name, feature.name);
    if (distance < bestDistance) [best, bestDistance] = [feature.name, distance];
  }
  return bestDistance <= Math.max(2, name.length / 4) ? `; did you mean "${best}"?` : '';
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(
        substitution,
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
      );
    }
    previous = current;
  }
  return previous[b.length] as number;
}
