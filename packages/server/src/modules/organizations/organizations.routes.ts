import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ProblemSchema } from '../../http/problem-schema.js';
import { auditContextOf } from '../audit/index.js';
import { callerOf } from '../auth/index.js';
import { OrganizationSchema, UpdateOrganizationBody } from './organizations.schemas.js';
import {
  getOrganization,
  type OrganizationsDeps,
  updateOrganization,
} from './organizations.service.js';

const tags = ['organizations'];

export const organizationsRoutes: FastifyPluginAsyncTypebox<OrganizationsDeps> = async (
  app,
  deps,
) => {
  app.get(
    '/organizations/current',
    {
      config: { auth: 'organization:read' },
      schema: {
        tags,
        summary: 'The caller’s organisation',
        response: { 200: OrganizationSchema },
      },
    },
    async (request) => getOrganization(deps, callerOf(request).organizationId),
  );

  app.patch(
    '/organizations/current',
    {
      config: { auth: 'organization:manage' },
      schema: {
        tags,
        summary: 'Rename the caller’s organisation or set its domain',
        body: UpdateOrganizationBody,
        response: { 200: OrganizationSchema, 400: ProblemSchema },
      },
    },
    async (request) => updateOrganization(deps, auditContextOf(request), request.body),
  );
};
