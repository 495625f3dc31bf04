import { api, type Lead, type LeadStatus, type Page } from '../api/api';

/** GET /leads/:id: the list's fields and the rest of the profile. */
export interface LeadProfile extends Lead {
  phone: string | null;
  website: string | null;
  country: string | null;
  industry: string | null;
  companySize: number | null;
  maxScore: number | null;
  updatedAt: string;
}

/**
 * `lead_scores.score_breakdown` as stored by the scorer: the parts (and `baseline`, for trained
 * models) add up to the score; rules models add their grade, trained ones their probability.
 */
export type ScoreBreakdownJson = Record<string, unknown>;

/** GET /leads/:id/score: every field but leadId is null until the lead is first scored. */
export interface LeadScore {
  leadId: string;
  scored: boolean;
  score: number | null;
  maxScore: number | null;
  breakdown: ScoreBreakdownJson | null;
  confidence: number | null;
  modelId: string | null;
  calculatedAt: string | null;
}

/** One change of the lead's score, as GET /leads/:id/score-history lists them (newest first). */
export interface ScoreHistoryEntry {
  id: string;
  score: number;
  breakdown: ScoreBreakdownJson;
  confidence: number | null;
  calculatedAt: string;
  cause: 'activity' | 'rescore' | 'decay' | null;
  /** Null: the built-in default rules (or a version since deleted). */
  model: { id: string; name: string; version: number; algorithm: string | null } | null;
  activity: { id: string; type: string; timestamp: string } | null;
}

/** One activity of the lead, as GET /leads/:id/activities lists them (newest first). */
export interface LeadActivity {
  id: string;
  type: string;
  timestamp: string;
  data: Record<string, unknown>;
  processed: boolean;
  receivedAt: string;
}

export interface LeadAssignment {
  status?: LeadStatus;
  ownerId?: string | null;
}

const PAGE_SIZE = 25;

/** A newest-first list of one lead, followed page by page with its cursors. */
const leadPages = <T>(path: 'activities' | 'score-history') => ({
  infiniteQueryOptions: {
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage: Page<T>) => lastPage.nextCursor,
  },
  query: ({ queryArg, pageParam }: { queryArg: string; pageParam: string | null }) => ({
    url: `leads/${queryArg}/${path}`,
    params: { limit: PAGE_SIZE, ...(pageParam && { cursor: pageParam }) },
  }),
  // A lead's score, its changes and the activities behind them move together: a new score
  // (see use-live-lead-score.ts) refreshes all three.
  providesTags: (_result: unknown, _error: unknown, leadId: string) => [
    { type: 'LeadHistory' as const, id: leadId },
  ],
});

const leadDetailApi = api.injectEndpoints({
  endpoints: (build) => ({
    getLeadProfile: build.query<LeadProfile, string>({
      query: (leadId) => `leads/${leadId}`,
      providesTags: (_result, _error, leadId) => [{ type: 'Lead', id: leadId }],
    }),
    getLeadScore: build.query<LeadScore, string>({
      query: (leadId) => `leads/${leadId}/score`,
      providesTags: (_result, _error, leadId) => [{ type: 'LeadHistory', id: leadId }],
    }),
    listLeadScoreHistory: build.infiniteQuery<Page<ScoreHistoryEntry>, string, string | null>(
      leadPages<ScoreHistoryEntry>('score-history'),
    ),
    listLeadActivities: build.infiniteQuery<Page<LeadActivity>, string, string | null>(
      leadPages<LeadActivity>('activities'),
    ),
    assignLead: build.mutation<LeadProfile, { leadId: string; changes: LeadAssignment }>({
      query: ({ leadId, changes }) => ({ url: `leads/${leadId}`, method: 'PATCH', body: changes }),
      // The answer is the lead as changed: shown at once, before every lead list on screen
      // (which show the status too) is read again.
      async onQueryStarted({ leadId }, { dispatch, queryFulfilled }) {
        const answer = await queryFulfilled.catch(() => null);
        // A refused change is the caller's to report (useAssignLeadMutation's error).
        if (answer)
          dispatch(leadDetailApi.util.upsertQueryData('getLeadProfile', leadId, answer.data));
      },
      invalidatesTags: ['Lead'],
    }),
  }),
});

export const {
  useGetLeadProfileQuery,
  useGetLeadScoreQuery,
  useListLeadScoreHistoryInfiniteQuery,
  useListLeadActivitiesInfiniteQuery,
  useAssignLeadMutation,
} = leadDetailApi;
