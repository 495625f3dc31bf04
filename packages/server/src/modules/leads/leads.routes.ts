import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { pageSchema } from '../../http/pagination.js';
import { ProblemSchema } from '../../http/problem-schema.js';
import { auditContextOf } from '../audit/index.js';
import { callerOf } from '../auth/index.js';
import {
  BulkUpdateLeadsBody,
  CreateLeadBody,
  CreateLeadQuery,
  LeadActivitySchema,
  LeadParams,
  LeadSchema,
  LeadScoreSchema,
  ListActivitiesQuery,
  ListLeadsQuery,
  PatchLeadBody,
  ScoreHistoryEntrySchema,
  ScoreHistoryQuery,
} from './leads.schemas.js';
import * as service from './leads.service.js';
import { getScoreHistory } from './score-history.service.js';

const tags = ['leads'];
const problems = { 400: ProblemSchema, 404: ProblemSchema };
const writeProblems = { ...problems, 409: ProblemSchema };

export const leadRoutes: FastifyPluginAsyncTypebox<service.LeadsDeps> = async (app, deps) => {
  // Addresses pasted from spreadsheets often carry blanks: trimming them before validation
  // lets the schema check the email format strictly and still accept them.
  app.addHook('preValidation', async (request) => {
    const body = request.body as { email?: unknown } | null | undefined;
    if (typeof body?.email === 'string') body.email = body.email.trim();
  });

  app.get(
    '/leads',
    {
      config: { auth: 'leads:read' },
      schema: {
        tags,
        summary: 'List leads: filter, search and sort, a page at a time',
        querystring: ListLeadsQuery,
        response: { 200: pageSchema(LeadSchema), 400: ProblemSchema },
      },
    },
    async (request) => service.listLeads(deps, callerOf(request).organizationId, request.query),
  );

  app.post(
    '/leads',
    {
      config: { auth: 'leads:write' },
      schema: {
        tags,
        summary: 'Create a lead (or, with upsert, update the one with its email)',
        querystring: CreateLeadQuery,
        body: CreateLeadBody,
        response: {
          201: LeadSchema,
          200: { ...LeadSchema, description: 'upsert updated the existing lead' },
          400: ProblemSchema,
          409: {
            ...ProblemSchema,
            description: 'a lead has this email; `existingId` is its id',
          },
        },
      },
    },
    async (request, reply) => {
      const { lead, created } = await service.createLead(
        deps,
        auditContextOf(request),
        request.body,
        { upsert: request.query.upsert === true },
      );
      if (created) reply.status(201).header('location', `/leads/${lead.id}`);
      return lead;
    },
  );

  app.post(
    '/leads/bulk-update',
    {
      config: { auth: 'leads:write' },
      schema: {
        tags,
        summary: 'Change the status or owner of many leads at once (all or nothing)',
        body: BulkUpdateLeadsBody,
        response: { 200: Type.Object({ data: Type.Array(LeadSchema) }), ...problems },
      },
    },
    async (request) => service.bulkUpdateLeads(deps, auditContextOf(request), request.body),
  );

  app.get(
    '/leads/:id',
    {
      config: { auth: 'leads:read' },
      schema: {
        tags,
        summary: 'One lead',
        params: LeadParams,
        response: { 200: LeadSchema, ...problems },
      },
    },
    async (request) => service.getLead(deps, callerOf(request).organizationId, request.params.id),
  );

  app.put(
    '/leads/:id',
    {
      config: { auth: 'leads:write' },
      schema: {
        tags,
        summary: 'Replace every editable field of a lead',
        params: LeadParams,
        body: CreateLeadBody,
        response: { 200: LeadSchema, ...writeProblems },
      },
    },
    async (request) =>
      service.replaceLead(deps, auditContextOf(request), request.params.id, request.body),
  );

  app.patch(
    '/leads/:id',
    {
      config: { auth: 'leads:write' },
      schema: {
        tags,
        summary: 'Change some fields of a lead',
        params: LeadParams,
        body: PatchLeadBody,
        response: { 200: LeadSchema, ...writeProblems },
      },
    },
    async (request) =>
      service.patchLead(deps, auditContextOf(request), request.params.id, request.body),
  );

  app.delete(
    '/leads/:id',
    {
      config: { auth: 'leads:delete' },
      schema: {
        tags,
        summary: 'Delete a lead with its activities and scores',
        params: LeadParams,
        response: { 204: Type.Null(), ...problems },
      },
    },
    async (request, reply) => {
      await service.deleteLead(deps, auditContextOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/leads/:id/activities',
    {
      config: { auth: 'activities:read' },
      schema: {
        tags,
        summary: 'A lead’s activities, newest first',
        params: LeadParams,
        querystring: ListActivitiesQuery,
        response: { 200: pageSchema(LeadActivitySchema), ...problems },
      },
    },
    async (request) =>
      service.listLeadActivities(
        deps,
        callerOf(request).organizationId,
        request.params.id,
        request.query,
      ),
  );

  app.get(
    '/leads/:id/score',
    {
      config: { auth: 'leads:read' },
      schema: {
        tags,
        summary: 'A lead’s current score and its breakdown',
        params: LeadParams,
        response: { 200: LeadScoreSchema, ...problems },
      },
    },
    async (request) =>
      service.getLeadScore(deps, callerOf(request).organizationId, request.params.id),
  );

  app.get(
    '/leads/:id/score-history',
    {
      config: { auth: 'leads:read' },
      schema: {
        tags,
        summary:
          'Every change of a lead’s score, newest first: the model that wrote it, its breakdown and the activity that caused it',
        params: LeadParams,
        querystring: ScoreHistoryQuery,
        response: { 200: pageSchema(ScoreHistoryEntrySchema), ...problems },
      },
    },
    async (request) =>
      getScoreHistory(deps, callerOf(request).organizationId, request.params.id, request.query),
  );
};
