import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ProblemSchema } from '../../http/problem-schema.js';
import { auditContextOf } from '../audit/index.js';
import { callerOf } from '../auth/index.js';
import {
  AlertPageSchema,
  AlertRulePageSchema,
  AlertRuleParams,
  AlertRuleSchema,
  CreateAlertRuleBody,
  ListQuery,
  PatchAlertRuleBody,
} from './alerts.schemas.js';
import * as service from './alerts.service.js';

const tags = ['alerts'];
const problems = { 400: ProblemSchema, 404: ProblemSchema };

export const alertRoutes: FastifyPluginAsyncTypebox<service.AlertsDeps> = async (app, deps) => {
  app.get(
    '/alert-rules',
    {
      config: { auth: 'alerts:read' },
      schema: {
        tags,
        summary: 'List the organisation’s alert rules, newest first',
        querystring: ListQuery,
        response: { 200: AlertRulePageSchema, 400: ProblemSchema },
      },
    },
    async (request) =>
      service.listAlertRules(deps, callerOf(request).organizationId, request.query),
  );

  app.post(
    '/alert-rules',
    {
      config: { auth: 'alerts:manage' },
      schema: {
        tags,
        summary: 'Create an alert rule',
        description:
          'Checked after every score change; fires `alert_triggered` (socket.io) and lists the ' +
          'alert in GET /alerts once per crossing, not on every event while the lead stays past the line.',
        body: CreateAlertRuleBody,
        response: { 201: AlertRuleSchema, 400: ProblemSchema },
      },
    },
    async (request, reply) => {
      const rule = await service.createAlertRule(deps, request.body, auditContextOf(request));
      return reply.status(201).header('location', `/alert-rules/${rule.id}`).send(rule);
    },
  );

  app.patch(
    '/alert-rules/:id',
    {
      config: { auth: 'alerts:manage' },
      schema: {
        tags,
        summary: 'Change some fields of an alert rule (or switch it off with isActive: false)',
        params: AlertRuleParams,
        body: PatchAlertRuleBody,
        response: { 200: AlertRuleSchema, ...problems },
      },
    },
    async (request) =>
      service.updateAlertRule(deps, request.params.id, request.body, auditContextOf(request)),
  );

  app.delete(
    '/alert-rules/:id',
    {
      config: { auth: 'alerts:manage' },
      schema: {
        tags,
        summary: 'Delete an alert rule; the alerts it fired stay listed',
        params: AlertRuleParams,
        response: { 204: Type.Null(), ...problems },
      },
    },
    async (request, reply) => {
      await service.deleteAlertRule(deps, request.params.id, auditContextOf(request));
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/alerts',
    {
      config: { auth: 'alerts:read' },
      schema: {
        tags,
        summary: 'The alerts fired in the organisation, newest first',
        querystring: ListQuery,
        response: { 200: AlertPageSchema, 400: ProblemSchema },
      },
    },
    async (request) => service.listAlerts(deps, callerOf(request).organizationId, request.query),
  );
};
