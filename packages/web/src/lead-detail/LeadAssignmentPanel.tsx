import { Alert, MenuItem, Snackbar, Stack, TextField, Typography } from '@mui/material';
import { useState } from 'react';
import { LEAD_STATUSES, type LeadStatus } from '../api/api';
import { problemDetail } from '../api/base-query';
import { useCan } from '../auth/permissions';
import { LoadError } from '../layout/LoadError';
import { type Member, useListMembersQuery } from '../users/users.api';
import { Facts } from './Facts';
import { personName } from './format';
import { type LeadAssignment, type LeadProfile, useAssignLeadMutation } from './lead-detail.api';
import { Section } from './Section';

function ownerName(ownerId: string | null, users: readonly Member[] | undefined) {
  if (ownerId === null) return 'Unassigned';
  const owner = users?.find((user) => user.id === ownerId);
  if (owner) return personName(owner);
  return users ? 'A user no longer listed' : '…';
}

/**
 * The lead's status and owner: editable by a role that may change leads, read-only otherwise
 * (the API refuses the change either way).
 */
export function LeadAssignmentPanel({ lead }: { lead: LeadProfile }) {
  const canChange = useCan('leads:write');
  const canListUsers = useCan('users:read');
  const users = useListMembersQuery(undefined, { skip: !canListUsers });
  return (
    <Section title="Status and owner" labelId="lead-assignment-heading">
      <Stack spacing={2}>
        {users.error && <LoadError error={users.error} onRetry={users.refetch} />}
        {canChange ? (
          <AssignmentForm lead={lead} users={users.data} />
        ) : (
          <>
            <Facts
              facts={[
                { label: 'Status', value: lead.status },
                { label: 'Owner', value: ownerName(lead.ownerId, users.data) },
              ]}
            />
            <Typography variant="body2" color="text.secondary">
              Your role can see this lead but not change it.
            </Typography>
          </>
        )}
      </Stack>
    </Section>
  );
}

interface Feedback {
  severity: 'success' | 'error';
  message: string;
}

/**
 * Who the lead can go to: the active users, and its current owner whoever they are (deactivated,
 * or beyond the users listed), so the choice on screen is always the lead's own.
 */
function ownerOptions(users: readonly Member[], ownerId: string | null) {
  const options = users
    .filter((user) => user.isActive || user.id === ownerId)
    .map((user) => ({
      id: user.id,
      label: user.isActive ? personName(user) : `${personName(user)} (inactive)`,
    }));
  if (ownerId !== null && !options.some((option) => option.id === ownerId)) {
    options.push({ id: ownerId, label: ownerName(ownerId, users) });
  }
  return options;
}

function AssignmentForm({
  lead,
  users,
}: {
  lead: LeadProfile;
  users: readonly Member[] | undefined;
}) {
  const [assignLead, { isLoading: saving }] = useAssignLeadMutation();
  // The message outlives `open` so that it stays on screen while the snackbar fades out.
  const [feedback, setFeedback] = useState<Feedback>({ severity: 'success', message: '' });
  const [feedbackOpen, setFeedbackOpen] = useState(false);

  const change = async (changes: LeadAssignment, done: string) => {
    try {
      await assignLead({ leadId: lead.id, changes }).unwrap();
      setFeedback({ severity: 'success', message: done });
    } catch (error) {
      setFeedback({ severity: 'error', message: problemDetail(error) });
    }
    setFeedbackOpen(true);
  };

  const changeOwner = (ownerId: string | null) =>
    change(
      { ownerId },
      ownerId === null ? 'Lead unassigned' : `Owner set to ${ownerName(ownerId, users)}`,
    );

  return (
    <>
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
        <TextField
          select
          label="Status"
          value={lead.status}
          disabled={saving}
          onChange={(event) => {
            const status = event.target.value as LeadStatus;
            change({ status }, `Status set to ${status}`);
          }}
          sx={{ minWidth: 180 }}
        >
          {LEAD_STATUSES.map((status) => (
            <MenuItem key={status} value={status}>
              {status}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          select
          label="Owner"
          value={users ? (lead.ownerId ?? '') : ''}
          disabled={saving || !users}
          onChange={(event) => changeOwner(event.target.value || null)}
          // "Unassigned" is a choice like any other, shown rather than left as an empty field.
          slotProps={{ select: { displayEmpty: true }, inputLabel: { shrink: true } }}
          sx={{ minWidth: 220 }}
        >
          <MenuItem value="">Unassigned</MenuItem>
          {ownerOptions(users ?? [], lead.ownerId).map((option) => (
            <MenuItem key={option.id} value={option.id}>
              {option.label}
            </MenuItem>
          ))}
        </TextField>
      </Stack>
      <Snackbar
        open={feedbackOpen}
        autoHideDuration={5000}
        onClose={() => setFeedbackOpen(false)}
        anchorOrigin={{ vertical: 'bottom', horizontal: 'center' }}
      >
        <Alert severity={feedback.severity} variant="filled" onClose={() => setFeedbackOpen(false)}>
          {feedback.message}
        </Alert>
      </Snackbar>
    </>
  );
}
