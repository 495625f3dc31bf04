import { type Static, Type } from 'typebox';
import { PageQuery, pageSchema } from '../../http/pagination.js';
import { API_KEY_SCOPES } from '../auth/index.js';

const Timestamp = Type.String({ format: 'date-time' });
const NullableTimestamp = Type.Union([Timestamp, Type.Null()]);
const Scopes = Type.Array(Type.Enum([...API_KEY_SCOPES]), {
  minItems: 1,
  uniqueItems: true,
  description: 'the permissions the key grants; a key never holds more than these',
});

export const CreateApiKeyBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 255, description: 'what the key is for' }),
    scopes: Scopes,
    expiresAt: Type.Optional(
      Type.String({ format: 'date-time', description: 'when it stops working; never if absent' }),
    ),
  },
  { additionalProperties: false },
);

export const ApiKeyParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const ListApiKeysQuery = Type.Object(PageQuery, { additionalProperties: false });

const ApiKeyFields = {
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  prefix: Type.String({ description: 'the key reads lsk_{prefix}_{secret}; safe to show' }),
  scopes: Scopes,
  createdAt: Timestamp,
  expiresAt: NullableTimestamp,
};

export const ApiKeySchema = Type.Object({
  ...ApiKeyFields,
  createdBy: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
  lastUsedAt: NullableTimestamp,
  revokedAt: NullableTimestamp,
});

export const CreatedApiKeySchema = Type.Object({
  ...ApiKeyFields,
  key: Type.String({
    description:
      'the whole key, shown this once: send it as X-API-Key or Authorization: Bearer. Only its hash is kept.',
  }),
});

export const ApiKeyPageSchema = pageSchema(ApiKeySchema);

export type CreateApiKeyInput = Static<typeof CreateApiKeyBody>;
export type ApiKey = Static<typeof ApiKeySchema>;
export type CreatedApiKey = Static<typeof CreatedApiKeySchema>;
