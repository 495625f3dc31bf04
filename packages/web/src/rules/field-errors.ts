/**
 * The fields a refused preview or save names (problem+json `errors[].field`), keyed by their
 * path in the points model: the API names them under the body's `rules` field
 * (`rules.rules[3].points`), the editor without it (`rules[3].points`).
 */
export type FieldErrors = ReadonlyMap<string, string>;

export const NO_FIELD_ERRORS: FieldErrors = new Map();

export function fieldErrorsOf(error: unknown): FieldErrors {
  const errors = (error as { data?: { errors?: unknown } } | undefined)?.data?.errors;
  if (!Array.isArray(errors)) return NO_FIELD_ERRORS;
  const byPath = new Map<string, string>();
  for (const entry of errors as { field?: unknown; message?: unknown }[]) {
    if (typeof entry.field !== 'string' || typeof entry.message !== 'string') continue;
    byPath.set(entry.field.replace(/^rules\.?/, ''), entry.message);
  }
  return byPath;
}

/** The message for `path`, or for a part of it (`rules[3].criterion.value[1]` for the value). */
export function errorAt(errors: FieldErrors, ...paths: string[]): string | undefined {
  for (const [field, message] of errors) {
    if (
      paths.some(
        (path) => field === path || field.startsWith(`${path}[`) || field.startsWith(`${path}.`),
      )
    )
      return message;
  }
  return undefined;
}
