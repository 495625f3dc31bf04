import { Alert, Box, Stack, Typography } from '@mui/material';
import { useParams } from 'react-router';
import { LoadError } from '../layout/LoadError';
import { ActivityTimeline } from './ActivityTimeline';
import { BackToLeads } from './BackToLeads';
import { LeadAssignmentPanel } from './LeadAssignmentPanel';
import { LeadHeader } from './LeadHeader';
import { useGetLeadProfileQuery } from './lead-detail.api';
import { ScoreHistoryPanel } from './ScoreHistoryPanel';
import { ScorePanel } from './ScorePanel';
import { SectionLoading } from './Section';
import { useLiveLeadScore } from './use-live-lead-score';

/** A lead the API does not know: gone (404), or an id that cannot be one (400). */
const isMissing = (error: unknown) => {
  const status = (error as { status?: unknown } | undefined)?.status;
  return status === 404 || status === 400;
};

/**
 * One lead as a sales rep opens it: who they are, their score and why, how it moved, what they
 * did, and (for those who may) their status and owner. The score moves live.
 */
export function LeadDetailPage() {
  const { leadId = '' } = useParams();
  const { data: lead, error, isLoading, refetch } = useGetLeadProfileQuery(leadId);
  useLiveLeadScore(leadId);

  return (
    <Stack spacing={2}>
      <BackToLeads />
      {isLoading && <SectionLoading label="Loading lead" />}
      {error && isMissing(error) && (
        <>
          <Typography variant="h5" component="h1">
            Lead not found
          </Typography>
          <Alert severity="warning">This lead does not exist or was deleted.</Alert>
        </>
      )}
      {error && !isMissing(error) && <LoadError error={error} onRetry={() => refetch()} />}
      {lead && (
        <>
          <LeadHeader lead={lead} />
          <Box
            sx={{
              display: 'grid',
              gap: 2,
              gridTemplateColumns: { xs: 'minmax(0, 1fr)', lg: 'repeat(2, minmax(0, 1fr))' },
              alignItems: 'start',
            }}
          >
            <Stack spacing={2} sx={{ minWidth: 0 }}>
              <ScorePanel leadId={lead.id} />
              <LeadAssignmentPanel lead={lead} />
            </Stack>
            <Stack spacing={2} sx={{ minWidth: 0 }}>
              <ScoreHistoryPanel leadId={lead.id} />
              <ActivityTimeline leadId={lead.id} />
            </Stack>
          </Box>
        </>
      )}
    </Stack>
  );
}
