/**
 * Which CSV column feeds which field, and what a row's cells become: a lead as the body of
 * POST /leads would give it, or an activity as the body of POST /activities. Pure functions,
 * shared by the upload check, the job and the CLI.
 */
import type { ImportKind } from '../../db/schema.js';
import type { FieldError } from '../../http/errors.js';
import { LEAD_INPUT_FIELDS } from '../leads/index.js';

export const ACTIVITY_FIELDS = [
  'leadEmail',
  'leadId',
  'type',
  'timestamp',
  'data',
  'idempotencyKey',
  'source',
] as const;

/** One custom attribute per column: `attributes.<key>`. */
const ATTRIBUTE_PREFIX = 'attributes.';

/** CSV header → field. */
export type Mapping = Readonly<Record<string, string>>;

/** A column the import reads: where it is in each row, its header, its field. */
export interface MappedColumn {
  readonly index: number;
  readonly header: string;
  readonly field: string;
}

/** A reason a row is refused, with the column at fault (null: none in particular). */
export interface RowError {
  readonly column: string | null;
  readonly field: string;
  readonly reason: string;
}

export function isField(kind: ImportKind, field: string): boolean {
  if (kind === 'leads' && field.startsWith(ATTRIBUTE_PREFIX)) {
    return field.length > ATTRIBUTE_PREFIX.length;
  }
  return (kind === 'leads' ? LEAD_INPUT_FIELDS : ACTIVITY_FIELDS).some((name) => name === field);
}

/**
 * The columns an import reads from a file with this header. With a mapping, exactly the
 * columns it names (each must be in the header, once, and map to a field of the kind, no two
 * to one field); without, every header that names a field, as the export writes them (the
 * export's read-only columns, such as id or currentScore, are not fields and are skipped).
 * Answers the problems as the form fields at fault; none: the columns.
 */
export function mapColumns(
  kind: ImportKind,
  header: readonly string[],
  mapping: Mapping | null,
): { columns: MappedColumn[]; problems: FieldError[] } {
  const problems: FieldError[] = [];
  const problem = (field: string, message: string) => problems.push({ in: 'body', field, message });
  const entries =
    mapping === null
      ? header.filter((name) => isField(kind, name)).map((name) => [name, name] as const)
      : Object.entries(mapping);
  const columns: MappedColumn[] = [];
  const fields = new Set<string>();
  for (const [name, field] of entries) {
    const at = `mapping.${name}`;
    const index = header.indexOf(name);
    if (!isField(kind, field)) {
      problem(at, `'${field}' is not a field of ${kind}; use one of ${fieldList(kind)}`);
    } else if (index === -1) {
      problem(at, `names a column the file does not have (its header: ${header.join(', ')})`);
    } else if (header.indexOf(name, index + 1) !== -1) {
      problem(at, 'names a column the header has twice');
    } else if (fields.has(field)) {
      problem(at, `maps a second column to ${field}`);
    } else {
      fields.add(field);
      columns.push({ index, header: name, field });
    }
  }
  const mapped = (field: string) => fields.has(field);
  const missing =
    kind === 'leads'
      ? ['email'].filter((field) => !mapped(field))
      : [
          ...['type', 'timestamp'].filter((field) => !mapped(field)),
          ...(mapped('leadEmail') || mapped('leadId') ? [] : ['leadEmail or leadId']),
        ];
  if (missing.length > 0 && problems.length === 0) {
    problem(
      'mapping',
      `maps no column to ${missing.join(', ')}` +
        (mapping === null ? ' (the header names none: give a mapping)' : ''),
    );
  }
  return { columns, problems };
}

function fieldList(kind: ImportKind): string {
  return kind === 'leads'
    ? `${LEAD_INPUT_FIELDS.join(', ')} or ${ATTRIBUTE_PREFIX}<key>`
    : ACTIVITY_FIELDS.join(', ');
}

/** A row as what it gives each field, or why it cannot be read. */
export type ReadRow =
  | { readonly ok: true; readonly values: Map<string, unknown> }
  | { readonly ok: false; readonly errors: RowError[] };

/**
 * The values of a row's mapped cells: an empty cell gives nothing (the field keeps its value,
 * or takes its default); JSON columns (`attributes`, `data`) are parsed; `companySize` becomes
 * a number when it is written as an integer (otherwise the lead's schema refuses it); an
 * `attributes.<key>` cell is a number or a boolean when written exactly as one prints (42,
 * -3.5, true; not 007 or 1.50, which stay text), otherwise text.
 */
export function readRow(
  cells: readonly string[],
  headerLength: number,
  columns: readonly MappedColumn[],
): ReadRow {
  if (cells.length !== headerLength) {
    return {
      ok: false,
      errors: [
        {
          column: null,
          field: '(row)',
          reason: `has ${cells.length} cells where the header has ${headerLength}`,
        },
      ],
    };
  }
  const values = new Map<string, unknown>();
  const errors: RowError[] = [];
  for (const { index, header, field } of columns) {
    const cell = cells[index] ?? '';
    if (cell === '') continue;
    const value = cellValue(field, cell);
    if (value === UNREADABLE_JSON) {
      errors.push({ column: header, field, reason: 'is not valid JSON' });
    } else if (!storable(value)) {
      errors.push({
        column: header,
        field,
        reason: 'contains a NUL character or a lone surrogate',
      });
    } else {
      values.set(field, value);
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, values };
}

const UNREADABLE_JSON = Symbol('unreadable JSON');
const INTEGER = /^[+-]?\d+$/;
/** PostgreSQL's integer columns end here: a larger company size would fail the whole batch. */
const MAX_INTEGER = 2_147_483_647;

function cellValue(field: string, cell: string): unknown {
  if (field === 'attributes' || field === 'data') {
    try {
      return JSON.parse(cell);
    } catch {
      return UNREADABLE_JSON;
    }
  }
  if (field === 'companySize' && INTEGER.test(cell)) {
    const size = Number(cell);
    return Math.abs(size) <= MAX_INTEGER ? size : cell;
  }
  if (field.startsWith(ATTRIBUTE_PREFIX)) {
    if (cell === 'true' || cell === 'false') return cell === 'true';
    if (String(Number(cell)) === cell) return Number(cell);
  }
  return cell;
}

// PostgreSQL cannot store U+0000 or a lone surrogate in text or jsonb, and JSON.stringify
// writes both as \u escapes (an even run of backslashes before one means it is not an escape).
const UNSTORABLE_ESCAPE = /(?<!\\)(?:\\\\)*\\u(?:0000|d[89a-f][0-9a-f]{2})/;

function storable(value: unknown): boolean {
  return !UNSTORABLE_ESCAPE.test(JSON.stringify(value));
}

/** A lead row as a POST /leads body, its `attributes.<key>` cells apart. */
export function toLeadBody(values: ReadonlyMap<string, unknown>): {
  body: Record<string, unknown>;
  attributePatch: Record<string, unknown> | undefined;
} {
  const body: Record<string, unknown> = {};
  let attributePatch: Record<string, unknown> | undefined;
  for (const [field, value] of values) {
    if (field.startsWith(ATTRIBUTE_PREFIX)) {
      attributePatch ??= {};
      attributePatch[field.slice(ATTRIBUTE_PREFIX.length)] = value;
    } else {
      body[field] = value;
    }
  }
  return { body, attributePatch };
}

/** The CSV column a field error points at: `data.url` is the `data` column's. */
export function columnOf(columns: readonly MappedColumn[], field: string): string | null {
  const exact = columns.find((column) => column.field === field);
  if (exact) return exact.header;
  const [head] = field.split('.');
  return columns.find((column) => column.field === head)?.header ?? null;
}
