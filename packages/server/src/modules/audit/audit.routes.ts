import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { pageSchema } from '../../http/pagination.js';
import { ProblemSchema } from '../../http/problem-schema.js';
import { callerOf } from '../auth/index.js';
import { AuditEntrySchema, AuditLogQuery } from './audit.schemas.js';
import { type AuditDeps, listAuditLog } from './audit.service.js';

export const auditRoutes: FastifyPluginAsyncTypebox<AuditDeps> = async (app, deps) => {
  app.get(
    '/audit-log',
    {
      config: { auth: 'audit:read' },
      schema: {
        tags: ['audit'],
        summary: 'The organisation’s audit trail, newest first',
        querystring: AuditLogQuery,
        response: { 200: pageSchema(AuditEntrySchema), 400: ProblemSchema },
      },
    },
    async (request) => listAuditLog(deps, callerOf(request).organizationId, request.query),
  );
};
