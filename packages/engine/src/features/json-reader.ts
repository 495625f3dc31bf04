/**
 * Checks for configs that arrive as plain JSON (stored in the database, edited in a UI). Every
 * failure names the path of the field at fault, e.g. `rules[3].criterion.op`, in the error class
 * the caller chose.
 */

export interface JsonReader {
  fail(path: string, message: string): never;
  object(value: unknown, path: string, allowedKeys: readonly string[]): Record<string, unknown>;
  /** A finite number, optionally bounded (`min`/`max` inclusive, `above` exclusive). */
  number(
    value: unknown,
    path: string,
    bounds?: { min?: number; max?: number; above?: number },
  ): number;
  string(value: unknown, path: string, pattern?: RegExp): string;
  array(value: unknown, path: string): unknown[];
  stringArray(value: unknown, path: string): string[];
}

export function createJsonReader(makeError: (message: string) => Error): JsonReader {
  const fail = (path: string, message: string): never => {
    throw makeError(`${path}: ${message}`);
  };
  const string = (value: unknown, path: string, pattern?: RegExp): string => {
    if (typeof value !== 'string') return fail(path, `must be a string, got ${describe(value)}`);
    if (pattern && !pattern.test(value)) {
      fail(path, `${JSON.stringify(value)} must match ${pattern}`);
    }
    return value;
  };
  const array = (value: unknown, path: string): unknown[] =>
    Array.isArray(value) ? value : fail(path, `must be an array, got ${describe(value)}`);
  return {
    fail,
    string,
    array,
    stringArray: (value, path) =>
      array(value, path).map((item, i) => string(item, `${path}[${i}]`)),
    object(value, path, allowedKeys) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        return fail(path, `must be an object, got ${describe(value)}`);
      }
      for (const key of Object.keys(value)) {
        if (!allowedKeys.includes(key)) {
          fail(`${path}.${key}`, `is not a known field; expected one of ${allowedKeys.join(', ')}`);
        }
      }
      return value as Record<string, unknown>;
    },
    number(value, path, bounds = {}) {
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        return fail(path, `must be a finite number, got ${describe(value)}`);
      }
      if (bounds.min !== undefined && value < bounds.min) fail(path, `must be >= ${bounds.min}`);
      if (bounds.max !== undefined && value > bounds.max) fail(path, `must be <= ${bounds.max}`);
      if (bounds.above !== undefined && value <= bounds.above) {
        fail(path, `must be > ${bounds.above}`);
      }
      return value;
    },
  };
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return JSON.stringify(value);
}
