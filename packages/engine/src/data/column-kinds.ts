import type { ColumnKind } from './preprocessing-schema.js';
import { findBooleanPair, parseIsoDate, parseNumber } from './value-parsers.js';

/**
 * The kind of a column, from its distinct non-missing values (at least one):
 * - numeric when every value is a finite decimal number. Integer columns with few distinct
 *   values (counts, ratings, 0/1 flags) stay numeric: their order carries meaning, trees can
 *   still isolate any single value with two splits, and a count never seen in training (say
 *   27 visits) then lands beside its neighbours instead of in "other". Integer codes whose
 *   order means nothing (region 1–9) are the exception; declare them categorical.
 * - boolean when the values, ignoring case, come from one pair: yes/no, true/false, y/n;
 * - date when every value is an ISO date `YYYY-MM-DD`, optionally with a time;
 * - categorical otherwise.
 */
export function inferColumnKind(distinctValues: readonly string[]): ColumnKind {
  if (distinctValues.every((value) => parseNumber(value) !== undefined)) return 'numeric';
  if (findBooleanPair(distinctValues) !== undefined) return 'boolean';
  if (distinctValues.every((value) => parseIsoDate(value) !== undefined)) return 'date';
  return 'categorical';
}
