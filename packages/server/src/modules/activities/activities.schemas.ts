import { type Static, Type } from 'typebox';

export const MAX_BATCH_SIZE = 1000;

/** One activity as a client sends it, alone to POST /activities or as a batch item. */
export const ActivityItemSchema = Type.Object(
  {
    leadId: Type.Optional(Type.String({ format: 'uuid', description: 'the lead, by id' })),
    leadEmail: Type.Optional(
      Type.String({ format: 'email', maxLength: 254, description: 'the lead, by email' }),
    ),
    createLead: Type.Optional(
      Type.Boolean({ description: 'create the lead from `leadEmail` when it does not exist' }),
    ),
    type: Type.String({
      minLength: 1,
      maxLength: 100,
      description: 'an activity type of the vocabulary, or `custom:<name>`',
    }),
    timestamp: Type.String({
      format: 'date-time',
      description: 'when it happened, ISO 8601 with offset; at most 5 minutes ahead',
    }),
    idempotencyKey: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 255,
        description: 'unique per organisation: a repeat returns the original id, stores nothing',
      }),
    ),
    source: Type.Optional(
      Type.String({ minLength: 1, maxLength: 100, description: 'the sending system' }),
    ),
    data: Type.Optional(
      Type.Object({}, { description: 'fields of the type (see the vocabulary); `{}` if left out' }),
    ),
  },
  { additionalProperties: false },
);
export type ActivityItem = Static<typeof ActivityItemSchema>;

export const IngestedActivitySchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  leadId: Type.String({ format: 'uuid' }),
  duplicate: Type.Boolean({
    description: 'true when the idempotency key was seen before: `id` is the original',
  }),
});

export const ActivityBatchBody = Type.Object(
  {
    activities: Type.Array(
      // Items are checked one by one in the service, so one bad item cannot sink the batch.
      Type.Unknown({ description: 'an activity, shaped as the body of POST /activities' }),
      { maxItems: MAX_BATCH_SIZE },
    ),
  },
  { additionalProperties: false },
);

export const ActivityBatchResultSchema = Type.Object({
  accepted: Type.Array(
    Type.Object({ index: Type.Integer(), ...IngestedActivitySchema.properties }),
  ),
  rejected: Type.Array(
    Type.Object({
      index: Type.Integer(),
      status: Type.Integer({ description: 'the HTTP status the item would get alone' }),
      code: Type.String({ description: 'stable code, e.g. ACTIVITIES_UNKNOWN_TYPE' }),
      title: Type.String(),
      detail: Type.String(),
      errors: Type.Array(
        Type.Object({ in: Type.String(), field: Type.String(), message: Type.String() }),
      ),
    }),
  ),
});
export type ActivityBatchResult = Static<typeof ActivityBatchResultSchema>;
