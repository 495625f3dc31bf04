import { api } from '../api/api';
import { useAppDispatch } from '../hooks';
import { useOrganizationEvent } from '../realtime/RealtimeProvider';

/**
 * Keeps every lead list on screen live: each `lead_score_updated` of the organisation patches
 * the lead's score and grade in the lists already loaded, with no refetch.
 */
export function useLiveScores(): void {
  const dispatch = useAppDispatch();
  useOrganizationEvent('lead_score_updated', (event) => {
    dispatch((thunkDispatch, getState) => {
      for (const args of api.util.selectCachedArgsForQuery(getState(), 'listLeads')) {
        thunkDispatch(
          api.util.updateQueryData('listLeads', args, (page) => {
            const lead = page.data.find((candidate) => candidate.id === event.leadId);
            if (!lead) return;
            lead.currentScore = event.score;
            if (typeof event.breakdown.grade === 'string')
              lead.currentGrade = event.breakdown.grade;
          }),
        );
      }
    });
  });
}
