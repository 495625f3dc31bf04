import { Link, Paper, Stack, Typography } from '@mui/material';
import { Facts } from './Facts';
import { formatDateTime, personName } from './format';
import type { LeadProfile } from './lead-detail.api';

/** Who the lead is: name, how to reach them, where they work and where they came from. */
export function LeadHeader({ lead }: { lead: LeadProfile }) {
  return (
    <Paper sx={{ p: 2 }}>
      <Stack spacing={2}>
        <Typography variant="h5" component="h1" sx={{ overflowWrap: 'anywhere' }}>
          {personName(lead)}
        </Typography>
        <Facts
          facts={[
            { label: 'Email', value: <Link href={`mailto:${lead.email}`}>{lead.email}</Link> },
            { label: 'Company', value: lead.company ?? '—' },
            { label: 'Job title', value: lead.jobTitle ?? '—' },
            { label: 'Source', value: lead.source ?? '—' },
            { label: 'Created', value: formatDateTime(lead.createdAt) },
          ]}
        />
      </Stack>
    </Paper>
  );
}
