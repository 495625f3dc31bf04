import { type Static, Type } from 'typebox';
import type { ExportKind } from '../../db/schema.js';
import { PageQuery } from '../../http/pagination.js';
import { DateTime, JsonObject, nullable, text, Uuid } from '../../http/schema-types.js';
import { ListLeadsQuery } from '../leads/index.js';

export const EXPORT_KINDS = ['leads', 'activities', 'scores'] as const satisfies ExportKind[];
export const EXPORT_FORMATS = ['csv', 'ndjson'] as const;

const FORMAT_DESCRIPTION =
  '`csv`: RFC 4180 with a header row, UTF-8, every value quoted, JSON columns as JSON text, an empty cell for null; `ndjson`: one JSON object per line';

/** The lead list's filters, the same names and rules as GET /leads. */
const leadFilters = Type.Omit(ListLeadsQuery, ['cursor', 'limit', 'sort']).properties;
const activityFilters = {
  types: Type.Optional(
    Type.Array(text(100), { maxItems: 50, description: 'activities: any of these types' }),
  ),
  from: Type.Optional({
    ...DateTime,
    description: 'activities: timestamp at or after; scores: calculated at or after',
  }),
  to: Type.Optional({
    ...DateTime,
    description: 'activities: timestamp before; scores: calculated before',
  }),
};
const scoreFilters = {
  from: activityFilters.from,
  to: activityFilters.to,
  modelId: Type.Optional({ ...Uuid, description: 'scores: written by this model version' }),
};

/** Which filters apply to which kind of export; the others are refused by name. */
export const FILTERS_OF_KIND: { readonly [K in ExportKind]: ReadonlySet<string> } = {
  leads: new Set(Object.keys(leadFilters)),
  activities: new Set(Object.keys(activityFilters)),
  scores: new Set(Object.keys(scoreFilters)),
};

export const LeadExportQuery = Type.Object(
  {
    ...leadFilters,
    format: Type.Optional(
      Type.Enum([...EXPORT_FORMATS], {
        description: `${FORMAT_DESCRIPTION}. Wins over the Accept header; without either, CSV.`,
      }),
    ),
  },
  { additionalProperties: false },
);
export type LeadExportQuery = Static<typeof LeadExportQuery>;

export const ExportFilters = Type.Object(
  { ...leadFilters, ...activityFilters, ...scoreFilters },
  {
    additionalProperties: false,
    description:
      'Leads take the filters of GET /leads (q, status, source, ownerId, minScore, maxScore and the created, updated and lastActivity ranges); activities take types, from and to; scores take modelId, from and to.',
  },
);
export type ExportFilters = Static<typeof ExportFilters>;

export const CreateExportBody = Type.Object(
  {
    kind: Type.Enum([...EXPORT_KINDS], { description: 'what to export' }),
    format: Type.Enum([...EXPORT_FORMATS], { default: 'csv', description: FORMAT_DESCRIPTION }),
    filters: Type.Optional(ExportFilters),
  },
  { additionalProperties: false },
);
export type CreateExportBody = Static<typeof CreateExportBody>;

export const ExportSchema = Type.Object({
  id: Uuid,
  kind: Type.Enum([...EXPORT_KINDS]),
  format: Type.Enum([...EXPORT_FORMATS]),
  filters: JsonObject,
  status: Type.Enum(['queued', 'running', 'succeeded', 'failed'], {
    description:
      'queued → running → succeeded | failed; a run that crashes is retried from the start',
  }),
  rows: Type.Integer({ description: 'rows written so far; all of them once succeeded' }),
  bytes: nullable(Type.Integer({ description: 'the size of the file, once succeeded' })),
  error: nullable(Type.String({ description: 'why the export failed' })),
  downloadUrl: nullable(
    Type.String({ description: 'where the file downloads from, once succeeded' }),
  ),
  createdAt: DateTime,
  startedAt: nullable(DateTime),
  finishedAt: nullable(DateTime),
});
export type Export = Static<typeof ExportSchema>;

export const ExportParams = Type.Object({ id: Uuid });
export const ListExportsQuery = Type.Object({ ...PageQuery }, { additionalProperties: false });
export type ListExportsQuery = Static<typeof ListExportsQuery>;
