/** The values that mean "missing" unless the caller passes its own list. */
export const DEFAULT_NA_TOKENS: readonly string[] = ['', 'NA', 'N/A', 'NaN', 'null', 'NULL'];

/** Tells whether a raw field is missing. */
export type MissingTest = (value: string) => boolean;

/**
 * A test for missing values: a field equal to one of `naTokens`, or one that is empty or only
 * whitespace. Blank always counts, whatever the tokens: an empty cell cannot mean anything
 * else, and a list such as `['Select', 'NA']` should not turn blanks into a category.
 */
export function createMissingTest(naTokens: readonly string[] = DEFAULT_NA_TOKENS): MissingTest {
  const tokens = new Set(naTokens);
  return (value) => tokens.has(value) || value.trim() === '';
}
