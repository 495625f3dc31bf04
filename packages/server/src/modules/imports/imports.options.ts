/**
 * An import's options, from the form fields of POST /imports/{kind} or the CLI's flags: which
 * column feeds which field, what a duplicate email does, the delimiter. Every problem is a 400
 * naming the field at fault.
 */
import type { ImportKind, ImportOnDuplicate } from '../../db/schema.js';
import { AppError, type FieldError, HttpErrors } from '../../http/errors.js';
import type { Mapping } from './imports.mapping.js';

export interface ImportOptions {
  /** Null: each header that names a field feeds it. */
  readonly mapping: Mapping | null;
  /** Lead imports only (null for activities). */
  readonly onDuplicate: ImportOnDuplicate | null;
  readonly delimiter: string;
}

export const OPTION_FIELDS = ['mapping', 'onDuplicate', 'delimiter'] as const;

/** The options the fields give (text, as a form sends them), or a 400 naming each bad one. */
export function readOptions(kind: ImportKind, fields: ReadonlyMap<string, string>): ImportOptions {
  const problems: FieldError[] = [];
  const problem = (field: string, message: string) => problems.push({ in: 'body', field, message });
  for (const name of fields.keys()) {
    if (!(OPTION_FIELDS as readonly string[]).includes(name)) {
      problem(name, `is not a field of this form (its fields: file, ${OPTION_FIELDS.join(', ')})`);
    }
  }

  const mappingText = fields.get('mapping');
  let mapping: Mapping | null = null;
  if (mappingText !== undefined) {
    const parsed = parseJson(mappingText);
    if (!isMapping(parsed)) {
      problem('mapping', 'must be a JSON object of CSV header → field name (both text)');
    } else {
      mapping = parsed;
    }
  }

  const onDuplicate = fields.get('onDuplicate');
  if (onDuplicate !== undefined && kind !== 'leads') {
    problem('onDuplicate', 'applies to lead imports only');
  } else if (onDuplicate !== undefined && onDuplicate !== 'update' && onDuplicate !== 'skip') {
    problem('onDuplicate', 'must be update or skip');
  }

  const delimiter = fields.get('delimiter') ?? ',';
  if ([...delimiter].length !== 1 || /["\r\n]/.test(delimiter)) {
    problem('delimiter', 'must be one character, not a quote or a line break');
  }

  if (problems.length > 0) throw invalidForm(problems);
  return {
    mapping,
    onDuplicate: kind === 'leads' ? ((onDuplicate as ImportOnDuplicate) ?? 'update') : null,
    delimiter,
  };
}

/** `--map 'Email=email,Company=company'` as a mapping; a pair without `=` is refused. */
export function parseMapFlag(spec: string): Mapping {
  const mapping: Record<string, string> = {};
  for (const pair of spec.split(',')) {
    const at = pair.indexOf('=');
    if (at <= 0 || at === pair.length - 1) {
      throw invalidForm([
        { in: 'body', field: 'mapping', message: `'${pair}' is not Header=field` },
      ]);
    }
    mapping[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
  }
  return mapping;
}

export function invalidForm(problems: FieldError[]): AppError {
  return new AppError(
    HttpErrors.VALIDATION_FAILED,
    problems.map((p) => `${p.field}: ${p.message}`).join('; '),
    { errors: problems },
  );
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isMapping(value: unknown): value is Mapping {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((field) => typeof field === 'string')
  );
}
