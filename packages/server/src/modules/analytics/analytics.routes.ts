import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ProblemSchema } from '../../http/problem-schema.js';
import { callerOf } from '../auth/index.js';
import {
  ConversionRatesQuery,
  ConversionRatesSchema,
  ModelPerformanceQuery,
  ModelPerformanceSchema,
  ScoreDistributionQuery,
  ScoreDistributionSchema,
} from './analytics.schemas.js';
import * as service from './analytics.service.js';
import { modelPerformance } from './model-performance.service.js';

const tags = ['analytics'];
const problems = { 400: ProblemSchema, 404: ProblemSchema };

export const analyticsRoutes: FastifyPluginAsyncTypebox<service.AnalyticsDeps> = async (
  app,
  deps,
) => {
  app.get(
    '/analytics/score-distribution',
    {
      config: { auth: 'analytics:read' },
      schema: {
        tags,
        summary: 'Leads per 10-point score band and per grade, now or as of a time',
        description:
          'Without asOf or modelId it counts each lead’s current score; with asOf, the newest score written by then; with modelId, only the scores that version wrote. Lead attributes (source, owner, industry) are today’s.',
        querystring: ScoreDistributionQuery,
        response: { 200: ScoreDistributionSchema, ...problems },
      },
    },
    async (request) =>
      service.scoreDistribution(deps, callerOf(request).organizationId, request.query),
  );

  app.get(
    '/analytics/conversion-rates',
    {
      config: { auth: 'analytics:read' },
      schema: {
        tags,
        summary:
          'Conversion rate with 95% Wilson intervals by score band at the outcome, by source and by created month',
        description:
          'A lead converts when its status becomes converted, and is lost when it becomes lost; the rate is converted / (converted + lost). The three groupings come in one answer.',
        querystring: ConversionRatesQuery,
        response: { 200: ConversionRatesSchema, 400: ProblemSchema },
      },
    },
    async (request) =>
      service.conversionRates(deps, callerOf(request).organizationId, request.query),
  );

  app.get(
    '/analytics/model-performance',
    {
      config: { auth: 'analytics:read' },
      schema: {
        tags,
        summary:
          'A model version on live traffic: ROC AUC, PR AUC, calibration and lift from the outcomes since it started scoring, and score drift (PSI)',
        description:
          'Each lead decided after the version started scoring counts once, with the last score the version gave it before the decision. Metrics are null, with a reason, until there are enough outcomes of each kind.',
        querystring: ModelPerformanceQuery,
        response: { 200: ModelPerformanceSchema, ...problems },
      },
    },
    async (request) => modelPerformance(deps, callerOf(request).organizationId, request.query),
  );
};
