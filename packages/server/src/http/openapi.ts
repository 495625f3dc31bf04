import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import type { OpenAPIV3_1 } from 'openapi-types';
import type { Config } from '../config.js';

const API_DESCRIPTION = `Leadscore scores every lead 0–100 in real time, explains each score and learns
from the team's own won/lost history. Errors are RFC 9457 problem details
(application/problem+json) whose \`type\` resolves under /problems.`;

/**
 * OpenAPI 3.1 built from the routes' TypeBox schemas: the same schema validates the
 * request, types the handler and documents the route. Served at /openapi.json, with
 * interactive docs at /docs.
 */
export async function registerOpenApi(app: FastifyInstance, config: Config): Promise<void> {
  await app.register(swagger, {
    // We publish OpenAPI only (never Swagger 2), so the document is always `openapiObject`.
    transformObject: (documents) =>
      withDefaultsOptional((documents as { openapiObject: Document }).openapiObject),
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Leadscore API', version: '0.1.0', description: API_DESCRIPTION },
      servers: [{ url: config.publicUrl }],
      tags: [
        { name: 'operations', description: 'Health, readiness, metrics and error documentation' },
      ],
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT or API key (lsk_…)' },
          apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
        },
      },
    },
  });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    staticCSP: true,
    uiConfig: { validatorUrl: null, deepLinking: true },
  });
  app.get('/openapi.json', { config: { auth: 'public' }, schema: { hide: true } }, async () =>
    app.swagger(),
  );
}

type Document = Partial<OpenAPIV3_1.Document>;

/**
 * A query parameter with a default (such as a page's `limit`) is one the client may
 * leave out. TypeBox lists it as required so the handler's type has a value, and the
 * validator fills the default in; the published contract should say it is optional.
 */
function withDefaultsOptional(document: Document): Document {
  for (const item of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(item ?? {})) {
      const parameters = (operation as OpenAPIV3_1.OperationObject).parameters ?? [];
      for (const parameter of parameters as OpenAPIV3_1.ParameterObject[]) {
        const schema = parameter.schema as OpenAPIV3_1.SchemaObject | undefined;
        if (parameter.in === 'query' && schema?.default !== undefined) parameter.required = false;
      }
    }
  }
  return document;
}
