import { type Static, Type } from 'typebox';

export const OrganizationSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  slug: Type.String(),
  domain: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  userCount: Type.Integer({ description: 'active users; deactivated ones are not counted' }),
});

export const UpdateOrganizationBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 255, pattern: '\\S' })),
    domain: Type.Optional(
      Type.Union([
        Type.String({
          maxLength: 255,
          pattern: '^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}$',
          description: 'the company’s web domain, such as example.com',
        }),
        Type.Null(),
      ]),
    ),
  },
  { additionalProperties: false },
);

export type Organization = Static<typeof OrganizationSchema>;
export type UpdateOrganizationBody = Static<typeof UpdateOrganizationBody>;
