import { Type } from 'typebox';
import { PERMISSIONS } from './permissions.js';

export const LoginBody = Type.Object(
  {
    email: Type.String({ format: 'email', maxLength: 255 }),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
  },
  { additionalProperties: false },
);

export const RefreshBody = Type.Object(
  { refreshToken: Type.String({ minLength: 1, maxLength: 512 }) },
  { additionalProperties: false },
);

export const CurrentUserSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  email: Type.String(),
  firstName: Type.Union([Type.String(), Type.Null()]),
  lastName: Type.Union([Type.String(), Type.Null()]),
  role: Type.Enum(['owner', 'admin', 'manager', 'analyst', 'sales_rep', 'viewer']),
  organizationId: Type.String({ format: 'uuid' }),
  organizationName: Type.String(),
  permissions: Type.Array(Type.Enum([...PERMISSIONS])),
});

export const SessionSchema = Type.Object({
  accessToken: Type.String({
    description: 'JWT for `Authorization: Bearer`; valid for expiresIn seconds',
  }),
  refreshToken: Type.String({
    description: 'opaque; trade it once at /auth/refresh for a new pair',
  }),
  expiresIn: Type.Integer(),
  user: CurrentUserSchema,
});
