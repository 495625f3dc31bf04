import { type Static, Type } from 'typebox';
import { LEAD_STATUSES } from '../../db/schema.js';
import { PageQuery } from '../../http/pagination.js';
import { DateTime, JsonObject, nullable, text, Uuid } from '../../http/schema-types.js';

export const LEAD_SORTS = [
  'score',
  '-score',
  'created',
  '-created',
  'updated',
  '-updated',
  'lastActivity',
  '-lastActivity',
] as const;
export type LeadSort = (typeof LEAD_SORTS)[number];
export const DEFAULT_SORT: LeadSort = '-created';

/** The serialized size `attributes` may take, so one lead cannot bloat every scoring read. */
export const MAX_ATTRIBUTES_BYTES = 16 * 1024;
export const ATTRIBUTES_TOO_LARGE = `must be at most ${MAX_ATTRIBUTES_BYTES} bytes as JSON`;

export function attributesWithinBudget(attributes: unknown): boolean {
  return Buffer.byteLength(JSON.stringify(attributes)) <= MAX_ATTRIBUTES_BYTES;
}

/** Blanks around it are trimmed before validation (see leads.routes.ts), and it is stored lower-case. */
const Email = Type.String({
  format: 'email',
  maxLength: 255,
  description: 'trimmed and lower-cased; unique within the organisation',
});

const Status = Type.Enum([...LEAD_STATUSES]);

export const LeadSchema = Type.Object({
  id: Uuid,
  email: Type.String(),
  firstName: nullable(Type.String()),
  lastName: nullable(Type.String()),
  company: nullable(Type.String()),
  jobTitle: nullable(Type.String()),
  phone: nullable(Type.String()),
  website: nullable(Type.String()),
  source: nullable(Type.String()),
  status: Status,
  ownerId: nullable(Uuid),
  country: nullable(Type.String({ description: 'ISO 3166-1 alpha-2, upper case' })),
  industry: nullable(Type.String()),
  companySize: nullable(Type.Integer()),
  attributes: JsonObject,
  currentScore: nullable(Type.Integer({ description: 'set by the scorer; null until scored' })),
  maxScore: nullable(Type.Integer()),
  currentGrade: nullable(
    Type.String({ description: 'A1–D4 from the newest score; null unless a rules model wrote it' }),
  ),
  lastActivityAt: nullable(DateTime),
  createdAt: DateTime,
  updatedAt: DateTime,
});
export type Lead = Static<typeof LeadSchema>;

/** The fields a client writes; the scores and activity time belong to the scorer. */
const editable = {
  firstName: nullable(text(100)),
  lastName: nullable(text(100)),
  company: nullable(text(255)),
  jobTitle: nullable(text(255)),
  phone: nullable(text(50)),
  website: nullable(text(255)),
  source: nullable(text(100)),
  status: Status,
  ownerId: nullable(
    Type.String({ format: 'uuid', description: 'an active user of the organisation' }),
  ),
  country: nullable(
    Type.String({
      pattern: '^[A-Za-z]{2}$',
      description: 'ISO 3166-1 alpha-2 code; stored upper case',
    }),
  ),
  industry: nullable(text(100)),
  companySize: nullable(Type.Integer({ minimum: 0 })),
  attributes: Type.Record(Type.String(), Type.Unknown(), {
    description: `free-form custom attributes scoring can use; at most ${MAX_ATTRIBUTES_BYTES} bytes as JSON`,
  }),
};

const optionalEditable = Object.fromEntries(
  Object.entries(editable).map(([name, schema]) => [name, Type.Optional(schema)]),
) as { [K in keyof typeof editable]: Type.TOptional<(typeof editable)[K]> };

export const CreateLeadBody = Type.Object(
  { email: Email, ...optionalEditable },
  {
    additionalProperties: false,
    description:
      'Fields left out take their defaults (null, status `new`, attributes `{}`). PUT takes the same body and replaces every editable field with it.',
  },
);
export type CreateLeadBody = Static<typeof CreateLeadBody>;

/** The fields a lead is written with, in the order of the API document (and of exports). */
export const LEAD_INPUT_FIELDS = Object.keys(CreateLeadBody.properties) as (keyof CreateLeadBody)[];

export const PatchLeadBody = Type.Object(
  { email: Type.Optional(Email), ...optionalEditable },
  {
    additionalProperties: false,
    description:
      'Only the fields given change; null clears one. `attributes` is replaced as a whole.',
  },
);
export type PatchLeadBody = Static<typeof PatchLeadBody>;

/** The most leads one bulk update may change: a page of the lead list, several times over. */
export const MAX_BULK_LEADS = 500;

export const BulkUpdateLeadsBody = Type.Object(
  {
    ids: Type.Array(Uuid, {
      minItems: 1,
      maxItems: MAX_BULK_LEADS,
      uniqueItems: true,
      description: 'the leads to change, all of the organisation',
    }),
    changes: Type.Object(
      { status: Type.Optional(editable.status), ownerId: Type.Optional(editable.ownerId) },
      { additionalProperties: false, minProperties: 1 },
    ),
  },
  {
    additionalProperties: false,
    description:
      'All or nothing: when an id is not a lead of the organisation, nothing changes and the answer names it.',
  },
);
export type BulkUpdateLeadsBody = Static<typeof BulkUpdateLeadsBody>;

export const CreateLeadQuery = Type.Object(
  {
    upsert: Type.Optional(
      Type.Boolean({
        default: false,
        description:
          'when a lead with this email exists, update it with the fields given (200) instead of answering 409',
      }),
    ),
  },
  { additionalProperties: false },
);

export const LeadParams = Type.Object({ id: Uuid });

/** A repeatable query parameter: `?status=new&status=contacted`. */
const anyOf = <T extends Parameters<typeof Type.Array>[0]>(item: T, description: string) =>
  Type.Optional(Type.Array(item, { maxItems: 50, description }));

export const ListLeadsQuery = Type.Object(
  {
    ...PageQuery,
    q: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: 'case-insensitive substring of first, last or full name, email or company',
      }),
    ),
    status: anyOf(Status, 'any of these statuses'),
    source: anyOf(text(100), 'any of these sources'),
    ownerId: anyOf(Uuid, 'owned by any of these users'),
    minScore: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
    maxScore: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
    createdFrom: Type.Optional(DateTime),
    createdTo: Type.Optional(DateTime),
    updatedFrom: Type.Optional(DateTime),
    updatedTo: Type.Optional(DateTime),
    lastActivityFrom: Type.Optional(DateTime),
    lastActivityTo: Type.Optional(DateTime),
    sort: Type.Optional(
      Type.Enum([...LEAD_SORTS], {
        default: DEFAULT_SORT,
        description:
          'a leading `-` sorts descending; leads without a score or activity come last either way. Ranges are `from ≤ value < to`.',
      }),
    ),
  },
  { additionalProperties: false },
);
export type ListLeadsQuery = Static<typeof ListLeadsQuery>;

export const ListActivitiesQuery = Type.Object({ ...PageQuery }, { additionalProperties: false });
export const ScoreHistoryQuery = ListActivitiesQuery;

export const LeadActivitySchema = Type.Object({
  id: Uuid,
  type: Type.String(),
  timestamp: DateTime,
  data: JsonObject,
  processed: Type.Boolean({ description: 'whether the scorer has counted it yet' }),
  receivedAt: DateTime,
});
export type LeadActivity = Static<typeof LeadActivitySchema>;

export const LeadScoreSchema = Type.Object(
  {
    leadId: Uuid,
    scored: Type.Boolean({ description: 'false until the scorer has scored the lead once' }),
    score: nullable(Type.Integer({ minimum: 0, maximum: 100 })),
    maxScore: nullable(
      Type.Integer({ description: 'the highest score the lead has reached (set by the scorer)' }),
    ),
    breakdown: nullable(JsonObject),
    confidence: nullable(Type.Number({ minimum: 0, maximum: 1 })),
    modelId: nullable(Uuid),
    calculatedAt: nullable(DateTime),
  },
  {
    description:
      'The newest score of the lead and its breakdown. A lead not scored yet answers `scored: false` with every other field but leadId null.',
  },
);
export type LeadScore = Static<typeof LeadScoreSchema>;

export const ScoreHistoryEntrySchema = Type.Object(
  {
    id: Uuid,
    score: Type.Integer({ minimum: 0, maximum: 100 }),
    breakdown: JsonObject,
    confidence: nullable(Type.Number({ minimum: 0, maximum: 1 })),
    calculatedAt: DateTime,
    cause: nullable(
      Type.Enum(['activity', 'rescore', 'decay'], {
        description:
          '`activity`: the scorer counted new activity (see `activity`); `rescore`: a model was activated or rolled back, or the rules changed; `decay`: the lead went quiet and its engagement faded. Null on scores written before this was recorded.',
      }),
    ),
    model: {
      ...nullable(
        Type.Object({
          id: Uuid,
          name: Type.String(),
          version: Type.Integer(),
          algorithm: nullable(Type.String()),
        }),
      ),
      description:
        'the model version that wrote the score; null: the built-in default rules (or a version since deleted)',
    },
    activity: {
      ...nullable(Type.Object({ id: Uuid, type: Type.String(), timestamp: DateTime })),
      description:
        'the newest activity the score counted (scores written by the scorer; null once that activity is erased)',
    },
  },
  { description: 'One change of a lead’s score' },
);
export type ScoreHistoryEntry = Static<typeof ScoreHistoryEntrySchema>;
