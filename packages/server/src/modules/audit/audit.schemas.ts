import { type Static, Type } from 'typebox';
import { PageQuery } from '../../http/pagination.js';

const NullableString = Type.Union([Type.String(), Type.Null()]);

export const AuditEntrySchema = Type.Object({
  id: Type.Integer(),
  action: Type.String({ description: 'what happened, such as user.role_changed or auth.login' }),
  actorType: Type.Enum(['user', 'api_key', 'system']),
  actorId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
  targetType: NullableString,
  targetId: NullableString,
  details: Type.Record(Type.String(), Type.Unknown()),
  ip: NullableString,
  userAgent: NullableString,
  requestId: NullableString,
  createdAt: Type.String({ format: 'date-time' }),
});

export const AuditLogQuery = Type.Object(
  {
    ...PageQuery,
    action: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    actorId: Type.Optional(Type.String({ format: 'uuid' })),
    targetType: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
    targetId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    from: Type.Optional(
      Type.String({ format: 'date-time', description: 'entries at or after this instant' }),
    ),
    to: Type.Optional(
      Type.String({ format: 'date-time', description: 'entries before this instant' }),
    ),
  },
  { additionalProperties: false },
);

export type AuditEntryJson = Static<typeof AuditEntrySchema>;
export type AuditLogQuery = Static<typeof AuditLogQuery>;
