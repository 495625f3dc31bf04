import { useEffect } from 'react';
import { io } from 'socket.io-client';
import { api } from '../api/api';
import { useAppDispatch, useAppSelector } from '../hooks';

/** What the server sends as `lead_score_updated` (the fields the lead list uses). */
export interface LeadScoreUpdated {
  leadId: string;
  score: number;
  breakdown: { grade?: unknown };
}

/**
 * Keeps every lead list on screen live: each `lead_score_updated` of the organisation patches
 * the lead's score and grade in the lists already loaded, with no refetch. The socket joins
 * the organisation's room with the access token and reconnects with the current one.
 */
export function useLiveScores(): void {
  const dispatch = useAppDispatch();
  const token = useAppSelector((state) => state.session.current?.accessToken);
  useEffect(() => {
    if (!token) return;
    const socket = io({ path: '/socket.io', auth: { token }, transports: ['websocket'] });
    socket.on('lead_score_updated', (event: LeadScoreUpdated) => {
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
    return () => {
      socket.disconnect();
    };
  }, [dispatch, token]);
}
