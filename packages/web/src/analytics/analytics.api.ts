import { api } from '../api/api';
import { type LeadFilters, reportUrl } from './analytics-filters';

/** A 10-point score band: "0–9" … "80–89", "90–100"; the "unscored" row has null bounds. */
export interface ScoreBand {
  lower: number | null;
  upper: number | null;
  label: string;
}

/** GET /analytics/score-distribution: leads per band and per grade, now or as of a time. */
export interface ScoreDistribution {
  asOf: string | null;
  modelId: string | null;
  total: number;
  scored: number;
  unscored: number;
  bands: (ScoreBand & { count: number })[];
  grades: { grade: string; count: number }[];
  ungraded: number;
}

/** A conversion rate (converted / decided) with its 95% Wilson interval; null when none decided. */
export interface Outcomes {
  converted: number;
  lost: number;
  decided: number;
  rate: number | null;
  interval: { lower: number; upper: number } | null;
}

export type RateCounts = Outcomes & { open: number };

/** GET /analytics/conversion-rates: by score band at the outcome, by source and by cohort. */
export interface ConversionRates {
  confidence: number;
  overall: RateCounts;
  byScoreBand: (ScoreBand & Outcomes)[];
  bySource: (RateCounts & { source: string | null })[];
  sourcesOmitted: number;
  byCohort: (RateCounts & { month: string })[];
}

/** One score distribution per `asOf`, in the order given. */
export type DistributionHistoryQuery = LeadFilters & { asOfs: readonly string[] };

const analyticsApi = api.injectEndpoints({
  endpoints: (build) => ({
    getScoreDistribution: build.query<ScoreDistribution, LeadFilters>({
      query: (filters) => reportUrl('analytics/score-distribution', filters),
      providesTags: ['Analytics'],
    }),
    // One card, one loading state: the snapshots are fetched together and stand or fall together.
    getScoreDistributionHistory: build.query<ScoreDistribution[], DistributionHistoryQuery>({
      async queryFn({ asOfs, ...filters }, _api, _extra, baseQuery) {
        const answers = await Promise.all(
          asOfs.map((asOf) =>
            baseQuery(reportUrl('analytics/score-distribution', { ...filters, asOf })),
          ),
        );
        const failed = answers.find((answer) => answer.error);
        if (failed?.error) return { error: failed.error };
        return { data: answers.map((answer) => answer.data as ScoreDistribution) };
      },
      providesTags: ['Analytics'],
    }),
    getConversionRates: build.query<ConversionRates, LeadFilters>({
      query: (filters) => reportUrl('analytics/conversion-rates', filters),
      providesTags: ['Analytics'],
    }),
  }),
});

export const {
  useGetScoreDistributionQuery,
  useGetScoreDistributionHistoryQuery,
  useGetConversionRatesQuery,
} = analyticsApi;
