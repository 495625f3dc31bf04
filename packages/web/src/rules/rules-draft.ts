/**
 * The rules editor's working copy: every number is kept as the text typed (so "-" or "0." can
 * be typed on the way to a number) and turned back into a points model for preview and save.
 * Text that is not a number is sent as it is, so that the API's validation names the field.
 */
import type { CriterionJson, CriterionOp, RuleGroup, RuleJson, RulesJson } from './rules-json';

export interface RuleDraft {
  /** Stable across edits, for React: the rule's id may be edited. */
  key: string;
  id: string;
  description: string;
  group: RuleGroup;
  /** A lead feature (`demo_request_90d`) or an attribute (`profile.jobTitle`, `custom.plan`). */
  subject: string;
  op: CriterionOp;
  /** The value; a comma-separated list for `in`; the low end for `between`. */
  value: string;
  /** The high end for `between`. */
  valueTo: string;
  points: string;
  perUnit: boolean;
  maxPoints: string;
}

export interface RulesDraft {
  /** The rules as loaded: what the editor does not edit is sent back from here. */
  base: RulesJson;
  rules: RuleDraft[];
  /** The other numbers, by their path in the points model (`caps.fit.max`), as typed. */
  settings: Record<string, string>;
}

const ATTRIBUTE_PREFIXES = ['profile.', 'custom.'];

export const isAttribute = (subject: string) =>
  ATTRIBUTE_PREFIXES.some((prefix) => subject.startsWith(prefix));

/** The numbers of a points model besides its rules, by path. */
export function settingPaths(rules: RulesJson): string[] {
  return [
    'caps.fit.min',
    'caps.fit.max',
    'caps.engagement.min',
    'caps.engagement.max',
    'weights.fit',
    'weights.engagement',
    'grades.fit.A',
    'grades.fit.B',
    'grades.fit.C',
    'grades.engagement.1',
    'grades.engagement.2',
    'grades.engagement.3',
    'features.defaultHalfLifeDays',
    ...Object.keys(rules.features.halfLifeDays).map((type) => `features.halfLifeDays.${type}`),
  ];
}

let keys = 0;
const nextKey = () => `rule-${++keys}`;

export function toDraft(rules: RulesJson): RulesDraft {
  return {
    base: rules,
    rules: rules.rules.map(ruleToDraft),
    settings: Object.fromEntries(
      settingPaths(rules).map((path) => [path, String(readPath(rules, path) ?? '')]),
    ),
  };
}

function ruleToDraft(rule: RuleJson): RuleDraft {
  const { criterion } = rule;
  const value = criterion.value;
  return {
    key: nextKey(),
    id: rule.id,
    description: rule.description,
    group: rule.group,
    subject: 'feature' in criterion ? criterion.feature : criterion.attribute,
    op: criterion.op,
    value: Array.isArray(value)
      ? criterion.op === 'between'
        ? String(value[0] ?? '')
        : value.join(', ')
      : value === undefined
        ? ''
        : String(value),
    valueTo: criterion.op === 'between' && Array.isArray(value) ? String(value[1] ?? '') : '',
    points: String(rule.points),
    perUnit: rule.perUnit === true,
    maxPoints: rule.maxPoints === undefined ? '' : String(rule.maxPoints),
  };
}

/** A new rule of `group`, with an id no other rule has. */
export function newRule(group: RuleGroup, taken: readonly RuleDraft[]): RuleDraft {
  const ids = new Set(taken.map((rule) => rule.id));
  let n = taken.length + 1;
  while (ids.has(`${group}-rule-${n}`)) n++;
  return {
    key: nextKey(),
    id: `${group}-rule-${n}`,
    description: '',
    group,
    subject: '',
    op: 'gte',
    value: '1',
    valueTo: '',
    points: '10',
    perUnit: false,
    maxPoints: '',
  };
}

/** The points model the draft describes. */
export function fromDraft(draft: RulesDraft): RulesJson {
  const rules = structuredClone(draft.base);
  for (const [path, text] of Object.entries(draft.settings)) writePath(rules, path, toNumber(text));
  rules.rules = draft.rules.map(draftToRule);
  return rules;
}

function draftToRule(rule: RuleDraft): RuleJson {
  const subject = rule.subject.trim();
  const criterion = {
    ...(isAttribute(subject) ? { attribute: subject } : { feature: subject }),
    op: rule.op,
    ...(rule.op !== 'exists' && { value: criterionValue(rule, subject) }),
  } as CriterionJson;
  return {
    id: rule.id.trim(),
    description: rule.description.trim(),
    group: rule.group,
    criterion,
    points: toNumber(rule.points) as number,
    ...(rule.perUnit && { perUnit: true }),
    ...(rule.perUnit &&
      rule.maxPoints.trim() !== '' && { maxPoints: toNumber(rule.maxPoints) as number }),
  };
}

function criterionValue(rule: RuleDraft, subject: string): CriterionJson['value'] {
  switch (rule.op) {
    case 'in':
      return rule.value
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '')
        .map((item) => scalar(subject, item) as string | number);
    case 'between':
      return [toNumber(rule.value), toNumber(rule.valueTo)] as number[];
    case 'gte':
    case 'lte':
      return toNumber(rule.value) as number;
    case 'contains':
      return rule.value.trim();
    default:
      return scalar(subject, rule.value.trim(), { booleans: true });
  }
}

/**
 * A value typed for a subject: text profile fields take text; a custom attribute may hold
 * anything; a feature holds a number, or a category label such as "director".
 */
function scalar(
  subject: string,
  text: string,
  { booleans = false } = {},
): string | number | boolean {
  if (subject.startsWith('profile.') && subject !== 'profile.companySize') return text;
  if (booleans && subject.startsWith('custom.') && (text === 'true' || text === 'false'))
    return text === 'true';
  return toNumber(text);
}

/** A finite number when the text is one; the text itself otherwise. */
function toNumber(text: string): number | string {
  const trimmed = text.trim();
  const number = Number(trimmed);
  return trimmed !== '' && Number.isFinite(number) ? number : trimmed;
}

function readPath(object: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((at, key) => (at as Record<string, unknown> | undefined)?.[key], object);
}

function writePath(object: object, path: string, value: unknown): void {
  const keys = path.split('.');
  const last = keys.pop() as string;
  const parent = keys.reduce<Record<string, unknown>>(
    (at, key) => at[key] as Record<string, unknown>,
    object as Record<string, unknown>,
  );
  parent[last] = value;
}
