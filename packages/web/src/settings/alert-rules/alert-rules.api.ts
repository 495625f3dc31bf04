import { api, type Page } from '../../api/api';
import { type PageQuery, pageParams } from '../paging';

/** The conditions an alert rule can watch (ALERT_RULE_KINDS in the server's alerts module). */
export type AlertRuleKind = 'score_above' | 'score_below' | 'grade_is' | 'becomes_mql';

/** An alert rule as GET /alert-rules lists it. */
export interface AlertRule {
  id: string;
  name: string;
  kind: AlertRuleKind;
  /** The score line, for every kind but grade_is. */
  threshold: number | null;
  /** A1 … D4, for grade_is only. */
  grade: string | null;
  isActive: boolean;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

/** What a rule is made of, as POST creates it and PATCH replaces it. */
export interface AlertRuleFields {
  name: string;
  kind: AlertRuleKind;
  threshold?: number;
  grade?: string;
  isActive: boolean;
}

const alertRulesApi = api.injectEndpoints({
  endpoints: (build) => ({
    listAlertRules: build.query<Page<AlertRule>, PageQuery>({
      query: (page) => ({ url: 'alert-rules', params: pageParams(page) }),
      providesTags: ['AlertRule'],
    }),
    createAlertRule: build.mutation<AlertRule, AlertRuleFields>({
      query: (body) => ({ url: 'alert-rules', method: 'POST', body }),
      invalidatesTags: ['AlertRule'],
    }),
    updateAlertRule: build.mutation<AlertRule, { id: string; change: Partial<AlertRuleFields> }>({
      query: ({ id, change }) => ({ url: `alert-rules/${id}`, method: 'PATCH', body: change }),
      invalidatesTags: ['AlertRule'],
    }),
    deleteAlertRule: build.mutation<void, string>({
      query: (id) => ({ url: `alert-rules/${id}`, method: 'DELETE' }),
      invalidatesTags: ['AlertRule'],
    }),
  }),
});

export const {
  useListAlertRulesQuery,
  useCreateAlertRuleMutation,
  useUpdateAlertRuleMutation,
  useDeleteAlertRuleMutation,
} = alertRulesApi;
