import { Alert, Button, MenuItem, Paper, Stack, TextField, Typography } from '@mui/material';
import { useState } from 'react';
import { LEAD_STATUSES, type LeadStatus, useBulkUpdateLeadsMutation } from '../api/api';
import { problemDetail } from '../api/base-query';
import { memberName, useListMembersQuery } from '../users/users.api';

const UNCHANGED = '';
const NO_OWNER = 'none';

/**
 * Changes the status and/or owner of the selected leads in one request (all or nothing on
 * the server); `onDone` clears the selection once it has worked.
 */
export function BulkActions({ ids, onDone }: { ids: string[]; onDone: () => void }) {
  const [status, setStatus] = useState<LeadStatus | typeof UNCHANGED>(UNCHANGED);
  const [owner, setOwner] = useState<string>(UNCHANGED);
  const { data: members } = useListMembersQuery();
  const [update, { isLoading, error, reset }] = useBulkUpdateLeadsMutation();

  const apply = async () => {
    const changes = {
      ...(status !== UNCHANGED && { status }),
      ...(owner !== UNCHANGED && { ownerId: owner === NO_OWNER ? null : owner }),
    };
    const result = await update({ ids, changes });
    if ('data' in result) {
      setStatus(UNCHANGED);
      setOwner(UNCHANGED);
      onDone();
    }
  };

  return (
    <Paper variant="outlined" sx={{ p: 2 }} role="region" aria-label="Change selected leads">
      <Stack
        direction={{ xs: 'column', md: 'row' }}
        spacing={2}
        sx={{ alignItems: { md: 'center' } }}
      >
        <Typography sx={{ flexShrink: 0 }}>{ids.length} selected</Typography>
        <TextField
          select
          size="small"
          label="Set status"
          value={status}
          onChange={(event) => {
            reset();
            setStatus(event.target.value as LeadStatus);
          }}
          sx={{ minWidth: 160 }}
        >
          <MenuItem value={UNCHANGED}>Keep status</MenuItem>
          {LEAD_STATUSES.map((value) => (
            <MenuItem key={value} value={value}>
              {value}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          select
          size="small"
          label="Set owner"
          value={owner}
          onChange={(event) => {
            reset();
            setOwner(event.target.value);
          }}
          sx={{ minWidth: 200 }}
        >
          <MenuItem value={UNCHANGED}>Keep owner</MenuItem>
          <MenuItem value={NO_OWNER}>No owner</MenuItem>
          {members
            ?.filter((member) => member.isActive)
            .map((member) => (
              <MenuItem key={member.id} value={member.id}>
                {memberName(member)}
              </MenuItem>
            ))}
        </TextField>
        <Button
          variant="contained"
          disabled={isLoading || (status === UNCHANGED && owner === UNCHANGED)}
          onClick={apply}
        >
          Apply to {ids.length}
        </Button>
        <Button onClick={onDone}>Clear selection</Button>
      </Stack>
      {error && (
        <Alert severity="error" sx={{ mt: 2 }}>
          {problemDetail(error)}
        </Alert>
      )}
    </Paper>
  );
}
