/** How a criterion's test is applied to a subject's value. */
import { normaliseLabel as normalise } from '../features/index.js';
import type { CriterionTest } from './types.js';

/** Absent, null, NaN, blank text or an empty list: matches no test. */
export function isMissing(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    (typeof value === 'number' && Number.isNaN(value)) ||
    (typeof value === 'string' && value.trim() === '') ||
    (Array.isArray(value) && value.length === 0)
  );
}

/**
 * A predicate for one test. A list subject (a custom attribute holding several values) matches
 * `contains` and `in` when one of its items does; `between` is inclusive.
 */
export function testMatcher(test: CriterionTest): (value: unknown) => boolean {
  const present =
    (check: (value: unknown) => boolean) =>
    (value: unknown): boolean =>
      !isMissing(value) && check(value);
  switch (test.op) {
    case 'exists':
      return present(() => true);
    case 'equals':
      return present((value) => sameValue(value, test.value));
    case 'in':
      return present((value) =>
        anyItem(value, (item) => test.value.some((wanted) => sameValue(item, wanted))),
      );
    case 'contains':
      return present((value) =>
        Array.isArray(value)
          ? value.some((item) => sameValue(item, test.value))
          : typeof value === 'string' && normalise(value).includes(normalise(test.value)),
      );
    case 'gte':
      return present((value) => typeof value === 'number' && value >= test.value);
    case 'lte':
      return present((value) => typeof value === 'number' && value <= test.value);
    case 'between': {
      const [low, high] = test.value;
      return present((value) => typeof value === 'number' && value >= low && value <= high);
    }
  }
}

function anyItem(value: unknown, check: (item: unknown) => boolean): boolean {
  return Array.isArray(value) ? value.some(check) : check(value);
}

function sameValue(value: unknown, wanted: string | number | boolean): boolean {
  if (typeof value === 'string' && typeof wanted === 'string') {
    return normalise(value) === normalise(wanted);
  }
  return value === wanted;
}
