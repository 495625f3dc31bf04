import { api, type Page } from '../api/api';

/** An alert as GET /alerts lists it: a rule fired for a lead. */
export interface FiredAlert {
  id: string;
  alertRuleId: string | null;
  leadId: string;
  kind: string;
  message: string;
  score: number;
  previousScore: number | null;
  createdAt: string;
}

const alertsApi = api.injectEndpoints({
  endpoints: (build) => ({
    listAlerts: build.query<Page<FiredAlert>, { cursor?: string | undefined; limit: number }>({
      query: ({ cursor, limit }) => ({
        url: 'alerts',
        params: { limit, ...(cursor && { cursor }) },
      }),
      providesTags: ['Alert'],
    }),
  }),
});

export const { useListAlertsQuery } = alertsApi;
