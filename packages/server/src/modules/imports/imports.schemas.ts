import { type Static, Type } from 'typebox';
import { PageQuery } from '../../http/pagination.js';
import { DateTime, nullable, Uuid } from '../../http/schema-types.js';

export const IMPORT_KINDS = ['leads', 'activities'] as const;
const Kind = Type.Enum([...IMPORT_KINDS]);

const count = (description: string) => Type.Integer({ minimum: 0, description });

export const ImportSchema = Type.Object({
  id: Uuid,
  kind: Kind,
  status: Type.Enum(['uploading', 'queued', 'running', 'succeeded', 'failed'], {
    description: 'uploading → queued → running → succeeded | failed',
  }),
  fileName: nullable(Type.String()),
  fileBytes: Type.Integer({ minimum: 0 }),
  mapping: nullable(
    Type.Record(Type.String(), Type.String(), {
      description: 'CSV header → field; null: each header that names a field feeds it',
    }),
  ),
  onDuplicate: nullable(Type.Enum(['update', 'skip'], { description: 'lead imports only' })),
  delimiter: Type.String(),
  rowsCommitted: count(
    'data rows (1 = the first after the header) up to this one are written: they stay written whatever happens to the import',
  ),
  bytesCommitted: count('how far into the file the committed rows go'),
  inserted: count('rows that created a lead or stored an activity'),
  updated: count('rows that changed a lead existing before (or earlier in the file)'),
  unchanged: count('rows whose lead already had every value they give'),
  skipped: count(
    'rows whose lead existed, with onDuplicate skip; activities whose idempotency key was stored before',
  ),
  failed: count('rows refused: GET /imports/{id}/errors says why'),
  error: nullable(Type.String({ description: 'why the import as a whole failed' })),
  createdAt: DateTime,
  startedAt: nullable(DateTime),
  finishedAt: nullable(DateTime),
});
export type Import = Static<typeof ImportSchema>;

export const ImportErrorSchema = Type.Object({
  row: Type.Integer({ minimum: 1, description: 'the data row: 1 is the first after the header' }),
  column: nullable(Type.String({ description: 'the CSV header of the cell at fault' })),
  field: Type.String({ description: 'the field at fault, or (row) for the row as a whole' }),
  reason: Type.String(),
});
export type ImportError = Static<typeof ImportErrorSchema>;

export const ImportParams = Type.Object({ id: Uuid });

export const ListImportsQuery = Type.Object(
  { ...PageQuery, kind: Type.Optional(Kind) },
  { additionalProperties: false },
);
export type ListImportsQuery = Static<typeof ListImportsQuery>;

export const ImportErrorsQuery = Type.Object({ ...PageQuery }, { additionalProperties: false });
export type ImportErrorsQuery = Static<typeof ImportErrorsQuery>;

/** The multipart form, for the API document (the route reads the parts as they stream in). */
export const ImportForm = (kind: (typeof IMPORT_KINDS)[number]) =>
  Type.Object(
    {
      file: Type.String({
        contentMediaType: 'text/csv',
        description: 'the CSV: RFC 4180, UTF-8, a header row first',
      }),
      mapping: Type.Optional(
        Type.String({
          description:
            kind === 'leads'
              ? 'JSON object, CSV header → field: email, firstName, lastName, company, jobTitle, phone, website, source, status, ownerId, country, industry, companySize, attributes (a JSON object) or attributes.<key>. Left out: each header that names a field feeds it (the format of GET /exports/leads).'
              : 'JSON object, CSV header → field: leadEmail, leadId, type, timestamp, data (a JSON object), idempotencyKey, source. Left out: each header that names a field feeds it.',
        }),
      ),
      ...(kind === 'leads' && {
        onDuplicate: Type.Optional(
          Type.Enum(['update', 'skip'], {
            default: 'update',
            description: 'what a row does whose email a lead already has',
          }),
        ),
      }),
      delimiter: Type.Optional(Type.String({ minLength: 1, maxLength: 1, default: ',' })),
    },
    { additionalProperties: false },
  );
