export { analyticsRoutes } from './analytics.routes.js';
export type { AnalyticsDeps } from './analytics.service.js';
export { CustomReportErrors, customReportRoutes } from './custom-report.routes.js';
