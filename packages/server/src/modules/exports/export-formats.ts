import { stringify } from 'csv-stringify/sync';
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

/** Turns pages of records into the text of a file: `header` once, then each page in turn. */
export interface Encoder {
  readonly header: string;
  page(records: readonly object[]): string;
}

export function encoderFor(format: ExportFormat, columns: readonly string[]): Encoder {
  if (format === 'ndjson') {
    return {
      header: '',
      page: (records) => `${records.map((record) => JSON.stringify(record)).join('\n')}\n`,
    };
  }
  const options = {
    columns: [...columns],
    // RFC 4180 ends records with CRLF.
    record_delimiter: 'windows',
    // csv-stringify's defaults would write true as 1, false as an empty cell (read back as
    // null) and dates as epoch milliseconds; records hold ISO text for dates already.
    cast: {
      boolean: (value: boolean) => (value ? 'true' : 'false'),
      object: (value: object) => JSON.stringify(value),
    },
  } as const;
  return {
    header: stringify([], { ...options, header: true }),
    page: (records) => stringify(records as Record<string, unknown>[], options),
  };
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
