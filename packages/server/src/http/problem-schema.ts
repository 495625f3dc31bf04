import { Type } from 'typebox';

/** An RFC 9457 problem document as this API sends it, for OpenAPI and response serialisation. */
export const ProblemSchema = Type.Object(
  {
    type: Type.String({ description: 'URI of the error; resolves to its description' }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.Optional(Type.String()),
    instance: Type.String(),
    code: Type.String({ description: 'stable machine-readable code, e.g. AUTH_FORBIDDEN' }),
    requestId: Type.String(),
    errors: Type.Optional(
      Type.Array(Type.Object({ in: Type.String(), field: Type.String(), message: Type.String() })),
    ),
  },
  {
    additionalProperties: true,
    description: 'RFC 9457 problem details (application/problem+json)',
  },
);
