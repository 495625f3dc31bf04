import { api } from '../api/api';
import type { Model, Rescore } from '../models/models.api';
import type { RulesJson } from './rules-json';

/** GET /scoring/rules: the points model in use, or the built-in default. */
export interface RulesInUse {
  /** The version holding these rules; null for the built-in default. */
  model: Model | null;
  /** Whether these rules score the organisation's leads (a trained model may instead). */
  active: boolean;
  rules: RulesJson;
}

export interface SavedRules extends RulesInUse {
  rescore: Rescore | null;
}

/** POST /scoring/rules/preview: how leads would move under the proposed rules. */
export interface RulesPreview {
  leads: number;
  totalLeads: number;
  truncated: boolean;
  asOf: string;
  bandChanges: number;
  movedUp: number;
  movedDown: number;
  gradeChanges: number | null;
  meanScoreChange: number;
  bands: { lower: number; upper: number; current: number; proposed: number }[];
  largestChanges: {
    leadId: string;
    email: string;
    currentScore: number;
    proposedScore: number;
    currentGrade: string | null;
    proposedGrade: string | null;
  }[];
}

const rulesApi = api.injectEndpoints({
  endpoints: (build) => ({
    getRules: build.query<RulesInUse, void>({
      query: () => 'scoring/rules',
      providesTags: ['Rules'],
    }),
    previewRules: build.mutation<RulesPreview, RulesJson>({
      query: (rules) => ({ url: 'scoring/rules/preview', method: 'POST', body: { rules } }),
    }),
    saveRules: build.mutation<SavedRules, RulesJson>({
      query: (rules) => ({ url: 'scoring/rules', method: 'PUT', body: { rules } }),
      // Saved rules become a new active model version, and every lead is rescored.
      invalidatesTags: ['Rules', 'Model', 'Lead'],
    }),
  }),
});

export const { useGetRulesQuery, usePreviewRulesMutation, useSaveRulesMutation } = rulesApi;
