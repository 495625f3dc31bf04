import { createApi } from '@reduxjs/toolkit/query/react';
import type { Session } from '../auth/session';
import { exportParams, saveResponseAsFile } from '../leads/leads-export';
import { baseQuery } from './base-query';

export type LeadStatus = 'new' | 'contacted' | 'qualified' | 'converted' | 'lost';
export const LEAD_STATUSES: readonly LeadStatus[] = [
  'new',
  'contacted',
  'qualified',
  'converted',
  'lost',
];

/** A lead as GET /leads lists it (the fields the dashboard shows). */
export interface Lead {
  id: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  jobTitle: string | null;
  source: string | null;
  status: LeadStatus;
  ownerId: string | null;
  currentScore: number | null;
  currentGrade: string | null;
  lastActivityAt: string | null;
  createdAt: string;
}

export type LeadSort =
  | 'score'
  | '-score'
  | 'created'
  | '-created'
  | 'lastActivity'
  | '-lastActivity';

export interface LeadListQuery {
  cursor?: string | undefined;
  limit: number;
  q?: string | undefined;
  status?: LeadStatus | undefined;
  sort: LeadSort;
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

export const api = createApi({
  reducerPath: 'api',
  baseQuery,
  // Each page's endpoints are injected from its own folder (api.injectEndpoints); the tags
  // they invalidate are named here, once.
  tagTypes: [
    'Lead',
    'LeadHistory',
    'Model',
    'Rules',
    'Analytics',
    'User',
    'ApiKey',
    'AlertRule',
    'Alert',
    'Organization',
  ],
  endpoints: (build) => ({
    login: build.mutation<Session, { email: string; password: string }>({
      query: (body) => ({ url: 'auth/login', method: 'POST', body }),
    }),
    logout: build.mutation<void, { refreshToken: string }>({
      query: (body) => ({ url: 'auth/logout', method: 'POST', body }),
    }),
    listLeads: build.query<Page<Lead>, LeadListQuery>({
      query: ({ cursor, limit, q, status, sort }) => ({
        url: 'leads',
        params: {
          limit,
          sort,
          ...(cursor && { cursor }),
          ...(q && { q }),
          ...(status && { status }),
        },
      }),
      providesTags: ['Lead'],
    }),
    bulkUpdateLeads: build.mutation<
      { data: Lead[] },
      { ids: string[]; changes: { status?: LeadStatus; ownerId?: string | null } }
    >({
      query: (body) => ({ url: 'leads/bulk-update', method: 'POST', body }),
      invalidatesTags: ['Lead'],
    }),
    exportLeads: build.mutation<{ filename: string }, Pick<LeadListQuery, 'q' | 'status'>>({
      query: (view) => ({
        url: 'exports/leads',
        params: exportParams(view),
        responseHandler: (response) =>
          response.ok ? saveResponseAsFile(response) : response.json(),
      }),
    }),
  }),
});

export const {
  useLoginMutation,
  useLogoutMutation,
  useListLeadsQuery,
  useBulkUpdateLeadsMutation,
  useExportLeadsMutation,
} = api;
