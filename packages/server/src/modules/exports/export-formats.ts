import { type RawBuilder, sql } from 'kysely';
import type { ExportFormat, ExportKind } from '../../db/schema.js';
import type { ActivityRecord } from '../activities/index.js';
import { LEAD_INPUT_FIELDS, type LeadRecord, type ScoreRecord } from '../leads/index.js';

/**
 * The export file formats. Imports read these files back, so the columns, their names (the
 * API's JSON field names) and their order are a contract: change them only with the importer.
 */

/** An activity with its lead's email (null when the lead was deleted while the export ran). */
export type ExportedActivity = ActivityRecord & { leadEmail: string | null };

export interface ExportRecords {
  leads: LeadRecord;
  activities: ExportedActivity;
  scores: ScoreRecord;
}

export const EXPORT_COLUMNS: { readonly [K in ExportKind]: readonly (keyof ExportRecords[K])[] } = {
  leads: [
    'id',
    ...LEAD_INPUT_FIELDS,
    'currentScore',
    'maxScore',
    'currentGrade',
    'lastActivityAt',
    'createdAt',
    'updatedAt',
  ],
  activities: ['id', 'leadId', 'leadEmail', 'type', 'timestamp', 'data', 'processed', 'receivedAt'],
  scores: [
    'leadId',
    'score',
    'breakdown',
    'confidence',
    'modelId',
    'cause',
    'activityId',
    'calculatedAt',
  ],
};

export const FORMATS: {
  readonly [F in ExportFormat]: { readonly contentType: string; readonly extension: string };
} = {
  csv: { contentType: 'text/csv; charset=utf-8', extension: 'csv' },
  ndjson: { contentType: 'application/x-ndjson; charset=utf-8', extension: 'ndjson' },
};

/** What ends each line of a file: RFC 4180's CRLF for CSV, a newline for NDJSON. */
export const LINE_END: { readonly [F in ExportFormat]: string } = { csv: '\r\n', ndjson: '\n' };

/** The text a file starts with: CSV's header line (the column names), nothing for NDJSON. */
export function headerOf(format: ExportFormat, columns: readonly string[]): string {
  return format === 'csv' ? `${columns.join(',')}${LINE_END.csv}` : '';
}

/** A column of an export file and the SQL value it holds. */
export interface ExportCell {
  readonly name: string;
  readonly value: RawBuilder<unknown>;
}

/**
 * A row as one line of the file, without its end, written by the database: building the text
 * there costs it a few microseconds a row and spares the server an object per row and per
 * value, which took most of an export's time when the server encoded the rows itself (a
 * million leads: 19 s of CPU, 5 of them collecting the garbage).
 *
 * CSV quotes every value (RFC 4180 allows it, so that no value needs inspecting) and writes
 * null as an empty cell, booleans as true/false and JSON as its text. NDJSON writes one object
 * per line with the columns' names as keys, in order.
 */
export function lineOf(format: ExportFormat, cells: readonly ExportCell[]): RawBuilder<string> {
  if (format === 'ndjson') {
    const pairs = cells.map(({ name, value }) => sql`${name}::text, ${value}`);
    return sql<string>`json_build_object(${sql.join(pairs)})::text`;
  }
  const quoted = cells.map(
    ({ value }) => sql`coalesce('"' || replace((${value})::text, '"', '""') || '"', '')`,
  );
  return sql<string>`concat_ws(',', ${sql.join(quoted)})`;
}

const MEDIA_TYPES: Readonly<Record<string, ExportFormat>> = {
  'text/csv': 'csv',
  'application/x-ndjson': 'ndjson',
  'application/ndjson': 'ndjson',
  'text/*': 'csv',
  '*/*': 'csv',
};

/**
 * The format an Accept header asks for: the acceptable type with the highest q (the first
 * listed among equals) that is an export format. No header, or one that takes anything, means
 * CSV; null when it names only other types.
 */
export function negotiateFormat(accept: string | undefined): ExportFormat | null {
  if (accept === undefined || accept.trim() === '') return 'csv';
  let best: { format: ExportFormat; q: number } | null = null;
  for (const range of accept.split(',')) {
    const [type = '', ...parameters] = range.split(';').map((part) => part.trim().toLowerCase());
    const format = MEDIA_TYPES[type];
    const q = Number(parameters.find((p) => p.startsWith('q='))?.slice(2) ?? 1);
    if (format && q > 0 && (best === null || q > best.q)) best = { format, q };
  }
  return best?.format ?? null;
}
