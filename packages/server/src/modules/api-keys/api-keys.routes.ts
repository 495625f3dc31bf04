import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ProblemSchema } from '../../http/problem-schema.js';
import { auditContextOf } from '../audit/index.js';
import { callerOf } from '../auth/index.js';
import {
  ApiKeyPageSchema,
  ApiKeyParams,
  CreateApiKeyBody,
  CreatedApiKeySchema,
  ListApiKeysQuery,
} from './api-keys.schemas.js';
import { type ApiKeyDeps, createApiKey, listApiKeys, revokeApiKey } from './api-keys.service.js';

const tags = ['api-keys'];

export const apiKeyRoutes: FastifyPluginAsyncTypebox<ApiKeyDeps> = async (app, deps) => {
  app.post(
    '/api-keys',
    {
      config: { auth: 'api_keys:manage' },
      schema: {
        tags,
        summary: 'Create an API key; the key itself is in this response only',
        body: CreateApiKeyBody,
        response: { 201: CreatedApiKeySchema, 400: ProblemSchema },
      },
    },
    async (request, reply) => {
      const created = await createApiKey(deps, request.body, auditContextOf(request));
      return reply.status(201).send(created);
    },
  );

  app.get(
    '/api-keys',
    {
      config: { auth: 'api_keys:manage' },
      schema: {
        tags,
        summary: 'List the organisation’s API keys (prefix and metadata, never the key)',
        querystring: ListApiKeysQuery,
        response: { 200: ApiKeyPageSchema, 400: ProblemSchema },
      },
    },
    async (request) => listApiKeys(deps, callerOf(request).organizationId, request.query),
  );

  app.delete(
    '/api-keys/:id',
    {
      config: { auth: 'api_keys:manage' },
      schema: {
        tags,
        summary: 'Revoke an API key: it stops working at once (revoking again changes nothing)',
        params: ApiKeyParams,
        response: { 204: Type.Null(), 400: ProblemSchema, 404: ProblemSchema },
      },
    },
    async (request, reply) => {
      await revokeApiKey(deps, request.params.id, auditContextOf(request));
      return reply.status(204).send(null);
    },
  );
};
