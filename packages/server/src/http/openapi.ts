import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
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
