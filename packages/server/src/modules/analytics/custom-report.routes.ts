import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ProblemSchema } from '../../http/problem-schema.js';
import { callerOf } from '../auth/index.js';
import { CustomReportBody, CustomReportSchema } from './custom-report.schemas.js';
import {
  type CustomReportDeps,
  REPORT_TIMEOUT_MS,
  runCustomReport,
} from './custom-report.service.js';

// The module's public surface in one line of analytics/index.ts: the routes and their errors.
export { CustomReportErrors } from './custom-report.errors.js';

export const customReportRoutes: FastifyPluginAsyncTypebox<CustomReportDeps> = async (
  app,
  deps,
) => {
  app.post(
    '/analytics/custom-report',
    {
      config: { auth: 'analytics:read' },
      schema: {
        tags: ['analytics'],
        summary: 'Compute a custom report over the organisation’s leads',
        description:
          'Counts, conversion rates and score statistics per group of leads, for the dimensions, ' +
          'filters and sort given. A mistake in the query answers 400 with a code of its own and ' +
          '`errors[0].field` naming the part at fault (`groupBy.1`, `filters.0.value`). A report ' +
          `running over ${REPORT_TIMEOUT_MS / 1000} s is stopped and answers 422 ` +
          'CUSTOM_REPORT_TIMEOUT: narrow it.',
        body: CustomReportBody,
        response: { 200: CustomReportSchema, 400: ProblemSchema, 422: ProblemSchema },
      },
    },
    async (request) => runCustomReport(deps, callerOf(request).organizationId, request.body),
  );
};
