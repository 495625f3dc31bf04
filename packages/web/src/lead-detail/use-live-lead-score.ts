import { api } from '../api/api';
import { useAppDispatch } from '../hooks';
import { useOrganizationEvent } from '../realtime/RealtimeProvider';

/**
 * Keeps the lead's score, its history and its activities current: a `lead_score_updated` of
 * this lead reads all three again (the event carries the new score, but not the history entry
 * or the activity behind it).
 */
export function useLiveLeadScore(leadId: string): void {
  const dispatch = useAppDispatch();
  useOrganizationEvent('lead_score_updated', (event) => {
    if (event.leadId === leadId) {
      dispatch(api.util.invalidateTags([{ type: 'LeadHistory', id: leadId }]));
    }
  });
}
