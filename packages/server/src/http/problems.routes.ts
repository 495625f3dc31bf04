import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorCatalogues } from './error-catalogues.js';
import { AppError, HttpErrors, problemSlug, problemType } from './errors.js';

const ProblemDescription = Type.Object({
  type: Type.String(),
  code: Type.String(),
  status: Type.Integer(),
  title: Type.String(),
  description: Type.String(),
});

/** Makes each problem `type` URI resolvable to a description of that error. */
export const problemRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const bySlug = new Map(
    errorCatalogues.flatMap((catalogue) =>
      Object.values(catalogue).map((definition) => [
        problemSlug(definition.code),
        { type: problemType(definition.code), ...definition },
      ]),
    ),
  );

  app.get(
    '/problems',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['operations'],
        summary: 'Every error code the API can answer with',
        response: { 200: Type.Array(ProblemDescription) },
      },
    },
    async () => [...bySlug.values()],
  );

  app.get(
    '/problems/:slug',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['operations'],
        summary: 'What one error code means',
        params: Type.Object({ slug: Type.String({ pattern: '^[a-z0-9-]+$' }) }),
        response: { 200: ProblemDescription },
      },
    },
    async (request) => {
      const problem = bySlug.get(request.params.slug);
      if (!problem)
        throw new AppError(
          HttpErrors.NOT_FOUND,
          `No error is documented as ${request.params.slug}`,
        );
      return problem;
    },
  );
};
