import { type Static, Type } from 'typebox';
import type { UserRole } from '../../db/schema.js';
import { PageQuery } from '../../http/pagination.js';

export const USER_ROLES = [
  'owner',
  'admin',
  'manager',
  'analyst',
  'sales_rep',
  'viewer',
] as const satisfies readonly UserRole[];

const Role = Type.Enum([...USER_ROLES]);
const Name = Type.String({ minLength: 1, maxLength: 100 });
const NullableName = Type.Union([Name, Type.Null()]);

export const UserSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  email: Type.String(),
  firstName: Type.Union([Type.String(), Type.Null()]),
  lastName: Type.Union([Type.String(), Type.Null()]),
  role: Role,
  isActive: Type.Boolean(),
  lastLoginAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

export const CreatedUserSchema = Type.Object({
  ...UserSchema.properties,
  temporaryPassword: Type.Optional(
    Type.String({
      description:
        'present only when no password was given: shown this once, never stored in clear; hand it to the user yourself (no email is sent yet)',
    }),
  ),
});

export const UserParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const ListUsersQuery = Type.Object(
  {
    ...PageQuery,
    role: Type.Optional(Role),
    isActive: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const CreateUserBody = Type.Object(
  {
    email: Type.String({ format: 'email', maxLength: 255 }),
    firstName: Type.Optional(Name),
    lastName: Type.Optional(Name),
    role: Role,
    password: Type.Optional(
      Type.String({
        minLength: 12,
        maxLength: 1024,
        description: 'leave out to have one generated and returned once as temporaryPassword',
      }),
    ),
  },
  { additionalProperties: false },
);

export const UpdateUserBody = Type.Object(
  {
    firstName: Type.Optional(NullableName),
    lastName: Type.Optional(NullableName),
    role: Type.Optional(Role),
    isActive: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export type User = Static<typeof UserSchema>;
export type ListUsersQuery = Static<typeof ListUsersQuery>;
export type CreateUserBody = Static<typeof CreateUserBody>;
export type UpdateUserBody = Static<typeof UpdateUserBody>;
