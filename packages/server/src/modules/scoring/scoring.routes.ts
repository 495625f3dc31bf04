import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ProblemSchema } from '../../http/problem-schema.js';
import { auditContextOf } from '../audit/index.js';
import { callerOf } from '../auth/index.js';
import {
  ActivateQuery,
  ActivationSchema,
  BacktestBody,
  BacktestSchema,
  CreateModelBody,
  ListModelsQuery,
  ModelDetailSchema,
  ModelPageSchema,
  ModelParams,
  ModelSchema,
  PerformanceSchema,
  RescoreParams,
  RescoreSchema,
  RollbackSchema,
} from './scoring.schemas.js';
import * as service from './scoring.service.js';
import { requestBacktest } from './scoring-backtest.service.js';
import { startChallenger, stopChallenger } from './scoring-challenger.service.js';
import { LeadScoreResultSchema, ScoreLeadBody } from './scoring-lead.schemas.js';
import { scoreLeadOnRequest } from './scoring-lead.service.js';
import { getRescore } from './scoring-rescore.service.js';
import {
  PreviewRulesBody,
  PreviewSchema,
  PutRulesBody,
  RulesSchema,
  SavedRulesSchema,
} from './scoring-rules.schemas.js';
import { getRules, previewRules, putRules } from './scoring-rules.service.js';

const tags = ['scoring'];
const problems = { 400: ProblemSchema, 404: ProblemSchema };

export const scoringRoutes: FastifyPluginAsyncTypebox<service.ScoringDeps> = async (app, deps) => {
  app.post(
    '/scoring/models',
    {
      config: { auth: 'models:manage' },
      schema: {
        tags,
        summary:
          'Train a model on the organisation’s decided leads (202: a job trains it; model_training_complete tells when)',
        body: CreateModelBody,
        response: {
          202: { ...ModelSchema, description: 'the new version, training' },
          400: ProblemSchema,
          422: { ...ProblemSchema, description: 'too few decided leads in the window' },
        },
      },
    },
    async (request, reply) => {
      const model = await service.createModel(deps, auditContextOf(request), request.body);
      return reply.status(202).header('location', `/scoring/models/${model.id}`).send(model);
    },
  );

  app.post(
    '/scoring/score-lead',
    {
      // Reading what a lead would score: what a website or a CRM sync needs with a read key.
      config: { auth: 'leads:read' },
      schema: {
        tags,
        summary: 'Score a stored lead or a lead given in the request, storing nothing',
        body: ScoreLeadBody,
        response: {
          200: LeadScoreResultSchema,
          400: ProblemSchema,
          404: ProblemSchema,
          409: ProblemSchema,
        },
      },
    },
    async (request) => scoreLeadOnRequest(deps, callerOf(request).organizationId, request.body),
  );

  app.get(
    '/scoring/models',
    {
      config: { auth: 'models:read' },
      schema: {
        tags,
        summary: 'The organisation’s model versions, newest first',
        querystring: ListModelsQuery,
        response: { 200: ModelPageSchema, 400: ProblemSchema },
      },
    },
    async (request) => service.listModels(deps, callerOf(request).organizationId, request.query),
  );

  app.get(
    '/scoring/models/:id',
    {
      config: { auth: 'models:read' },
      schema: {
        tags,
        summary: 'One model version, with its deployment gate',
        params: ModelParams,
        response: { 200: ModelDetailSchema, ...problems },
      },
    },
    async (request) => service.getModel(deps, callerOf(request).organizationId, request.params.id),
  );

  app.get(
    '/scoring/models/:id/performance',
    {
      config: { auth: 'models:read' },
      schema: {
        tags,
        summary:
          'How well a version ranks leads: cross-validated and holdout ROC AUC, PR AUC, calibration, lift, conversion by band, feature importance; its last backtest; side by side with the active model for a challenger (and with the challenger for the active model)',
        params: ModelParams,
        response: { 200: PerformanceSchema, ...problems },
      },
    },
    async (request) =>
      service.getPerformance(deps, callerOf(request).organizationId, request.params.id),
  );

  app.post(
    '/scoring/models/:id/backtest',
    {
      config: { auth: 'models:manage' },
      schema: {
        tags,
        summary:
          'Replay the organisation’s decided leads through this version (202: a job runs it; GET …/performance shows `backtest`): ROC AUC, lift, leads per band, MQLs per month. A trained version backtested over its own training window is in-sample (`leadsInTrainingWindow` counts those leads)',
        params: ModelParams,
        body: BacktestBody,
        response: {
          202: { ...BacktestSchema, description: 'the backtest, queued' },
          ...problems,
          409: { ...ProblemSchema, description: 'the version is training or failed' },
        },
      },
    },
    async (request, reply) => {
      const backtest = await requestBacktest(
        deps,
        callerOf(request).organizationId,
        request.params.id,
        request.body ?? {},
      );
      return reply
        .status(202)
        .header('location', `/scoring/models/${request.params.id}/performance`)
        .send(backtest);
    },
  );

  // A PUT makes the version the challenger and a DELETE stops it: the challenger is a role a
  // version holds, set and removed like a resource, and neither needs a body.
  app.put(
    '/scoring/models/:id/challenger',
    {
      config: { auth: 'models:manage' },
      schema: {
        tags,
        summary:
          'Run this ready or retired version as the challenger: scored on every activity beside the active model, stored apart, never changing a lead’s score (replaces the organisation’s challenger, if any; GET …/performance compares them)',
        params: ModelParams,
        response: {
          200: ModelSchema,
          ...problems,
          409: {
            ...ProblemSchema,
            description: 'the version is training, failed or the active one',
          },
        },
      },
    },
    async (request) => startChallenger(deps, auditContextOf(request), request.params.id),
  );

  app.delete(
    '/scoring/models/:id/challenger',
    {
      config: { auth: 'models:manage' },
      schema: {
        tags,
        summary:
          'Stop the challenger: it is ready again; its scores and comparison are kept in its performance report',
        params: ModelParams,
        response: {
          200: ModelSchema,
          ...problems,
          409: { ...ProblemSchema, description: 'the version is not the challenger' },
        },
      },
    },
    async (request) => stopChallenger(deps, auditContextOf(request), request.params.id),
  );

  app.put(
    '/scoring/models/:id/activate',
    {
      config: { auth: 'models:manage' },
      schema: {
        tags,
        summary:
          'Score with this version (refused below the deployment gate unless an admin forces it): new activities at once, every lead by a rescore job whose progress is in `rescore`',
        params: ModelParams,
        querystring: ActivateQuery,
        response: {
          200: ActivationSchema,
          ...problems,
          409: { ...ProblemSchema, description: 'the version is training or failed' },
          422: {
            ...ProblemSchema,
            description: 'the version’s ROC AUC (`rocAuc`) is not above the gate (`threshold`)',
          },
        },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      return service.activateModel(deps, auditContextOf(request), request.params.id, {
        force: request.query.force === true,
        mayOverrideGate: caller.permissions.includes('models:override_gate'),
      });
    },
  );

  app.post(
    '/scoring/models/:id/rollback',
    {
      config: { auth: 'models:manage' },
      schema: {
        tags,
        summary:
          'Undo the activation of the active version: the version it replaced (or the default rules) scores again, and rescores every lead (`rescore`)',
        params: ModelParams,
        response: {
          200: RollbackSchema,
          ...problems,
          409: { ...ProblemSchema, description: 'the version is not the active one' },
        },
      },
    },
    async (request) => service.rollbackModel(deps, auditContextOf(request), request.params.id),
  );

  app.get(
    '/scoring/rescores/:id',
    {
      config: { auth: 'models:read' },
      schema: {
        tags,
        summary:
          'The progress of a bulk rescore (queued by an activation or a rollback); rescore_progress events tell it live',
        params: RescoreParams,
        response: { 200: RescoreSchema, ...problems },
      },
    },
    async (request) => getRescore(deps, callerOf(request).organizationId, request.params.id),
  );

  app.get(
    '/scoring/rules',
    {
      config: { auth: 'models:read' },
      schema: {
        tags,
        summary: 'The scoring rules (points model) in use, or the built-in default',
        response: { 200: RulesSchema },
      },
    },
    async (request) => getRules(deps, callerOf(request).organizationId),
  );

  app.put(
    '/scoring/rules',
    {
      config: { auth: 'models:manage' },
      schema: {
        tags,
        summary:
          'Save edited rules as a new version and score with it from now on (every lead is rescored by a job)',
        body: PutRulesBody,
        response: { 200: SavedRulesSchema, 400: ProblemSchema },
      },
    },
    async (request) => putRules(deps, auditContextOf(request), request.body),
  );

  app.post(
    '/scoring/rules/preview',
    {
      config: { auth: 'models:read' },
      schema: {
        tags,
        summary:
          'How many leads would change score band or grade under proposed rules (nothing is saved)',
        body: PreviewRulesBody,
        response: { 200: PreviewSchema, 400: ProblemSchema },
      },
    },
    async (request) => previewRules(deps, callerOf(request).organizationId, request.body),
  );
};
