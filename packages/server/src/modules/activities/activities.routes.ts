import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ProblemSchema } from '../../http/problem-schema.js';
import { auditContextOf } from '../audit/index.js';
import {
  ActivityBatchBody,
  ActivityBatchResultSchema,
  ActivityItemSchema,
  IngestedActivitySchema,
  MAX_BATCH_SIZE,
} from './activities.schemas.js';
import { type ActivitiesDeps, ingestActivities, ingestActivity } from './activities.service.js';
import { describeVocabulary } from './activities.vocabulary.js';

const tags = ['activities'];
const vocabulary = describeVocabulary();

export const activityRoutes: FastifyPluginAsyncTypebox<ActivitiesDeps> = async (app, deps) => {
  app.post(
    '/activities',
    {
      config: { auth: 'activities:write' },
      schema: {
        tags,
        summary: 'Record one activity of a lead',
        description: [
          'Stored for the scorer and answered at once (202). The lead is named by `leadId` or ' +
            '`leadEmail`; with `createLead: true` an unknown email creates the lead. A repeated ' +
            '`idempotencyKey` answers with the original activity (`duplicate: true`) and stores nothing.',
          vocabulary,
        ].join('\n\n'),
        body: ActivityItemSchema,
        response: { 202: IngestedActivitySchema, 400: ProblemSchema, 404: ProblemSchema },
      },
    },
    async (request, reply) =>
      reply.status(202).send(await ingestActivity(deps, auditContextOf(request), request.body)),
  );

  app.post(
    '/activities/batch',
    {
      config: { auth: 'activities:write' },
      schema: {
        tags,
        summary: `Record up to ${MAX_BATCH_SIZE} activities at once`,
        description: [
          'Each item is shaped as the body of POST /activities and checked on its own: the good ' +
            'ones are stored (together, in one transaction), each bad one is listed in `rejected` ' +
            'by its index, with the status, code and reason it would get alone. Only a body that ' +
            `is not \`{activities: [...]}\` with at most ${MAX_BATCH_SIZE} items is refused whole.`,
          vocabulary,
        ].join('\n\n'),
        body: ActivityBatchBody,
        response: { 202: ActivityBatchResultSchema, 400: ProblemSchema, 413: ProblemSchema },
      },
    },
    async (request, reply) =>
      reply
        .status(202)
        .send(await ingestActivities(deps, auditContextOf(request), request.body.activities)),
  );
};
