/** A field at fault, as a problem+json `errors` entry names it. */
interface FieldProblem {
  field: string;
  message: string;
}

interface ProblemBody {
  code?: string;
  detail?: string;
  errors?: FieldProblem[];
}

/**
 * The messages of a failed call by form field: the fields a validation problem names, and the
 * field a known error code is about (a taken email has no `errors` entry, but belongs under the
 * email field all the same).
 */
export function fieldErrorsOf(
  error: unknown,
  fieldOfCode: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const problem = (error as { data?: ProblemBody } | undefined)?.data;
  const fields: Record<string, string> = {};
  for (const entry of problem?.errors ?? []) fields[entry.field] = entry.message;
  const field = problem?.code ? fieldOfCode[problem.code] : undefined;
  if (field && problem?.detail) fields[field] = problem.detail;
  return fields;
}
