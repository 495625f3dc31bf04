import { Alert, Button, Paper, Stack, TextField, Typography } from '@mui/material';
import { type FormEvent, useState } from 'react';
import { problemDetail } from '../../api/base-query';
import { useCan } from '../../auth/permissions';
import { LoadError } from '../../layout/LoadError';
import { fieldErrorsOf } from '../problem-fields';
import { when } from '../SettingsList';
import {
  type Organization,
  useGetOrganizationQuery,
  useUpdateOrganizationMutation,
} from './organization.api';

/** The organisation: its name and web domain, which an owner (organization:manage) can change. */
export function OrganizationTab() {
  const query = useGetOrganizationQuery();
  return (
    <Stack spacing={2}>
      <Typography variant="h6" component="h2">
        Organisation
      </Typography>
      {query.error ? <LoadError error={query.error} onRetry={() => query.refetch()} /> : null}
      {query.isLoading && <Typography color="text.secondary">Loading the organisation…</Typography>}
      {/* Keyed by the saved version, so the form starts again from what the server holds. */}
      {query.data && (
        <OrganizationForm key={query.data.name + query.data.domain} organization={query.data} />
      )}
    </Stack>
  );
}

function OrganizationForm({ organization }: { organization: Organization }) {
  const canEdit = useCan('organization:manage');
  const [name, setName] = useState(organization.name);
  const [domain, setDomain] = useState(organization.domain ?? '');
  const [nameProblem, setNameProblem] = useState<string | null>(null);
  const [update, { isLoading, error, isSuccess, reset }] = useUpdateOrganizationMutation();
  const apiFields = fieldErrorsOf(error);
  const unplaced = error && Object.keys(apiFields).length === 0 ? problemDetail(error) : null;
  const changed = name !== organization.name || domain !== (organization.domain ?? '');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) {
      setNameProblem('The organisation needs a name.');
      return;
    }
    await update({ name: name.trim(), domain: domain.trim() || null });
  };

  const edited = (set: (value: string) => void) => (value: string) => {
    set(value);
    setNameProblem(null);
    reset();
  };

  return (
    <Paper component="form" onSubmit={submit} noValidate sx={{ p: 2, maxWidth: 560 }}>
      <Stack spacing={2}>
        {!canEdit && (
          <Alert severity="info">Only an owner can change the organisation’s details.</Alert>
        )}
        {unplaced && <Alert severity="error">{unplaced}</Alert>}
        {isSuccess && <Alert severity="success">Saved.</Alert>}
        <TextField
          label="Name"
          value={name}
          required
          disabled={!canEdit}
          onChange={(event) => edited(setName)(event.target.value)}
          error={Boolean(nameProblem ?? apiFields.name)}
          helperText={nameProblem ?? apiFields.name}
          slotProps={{ htmlInput: { maxLength: 255 } }}
        />
        <TextField
          label="Web domain"
          value={domain}
          disabled={!canEdit}
          onChange={(event) => edited(setDomain)(event.target.value)}
          error={Boolean(apiFields.domain)}
          helperText={apiFields.domain ?? 'Such as example.com; leave empty for none.'}
        />
        <Typography variant="body2" color="text.secondary">
          Identifier {organization.slug} · {organization.userCount} active users · created{' '}
          {when(organization.createdAt)}
        </Typography>
        {canEdit && (
          <Stack direction="row">
            <Button type="submit" variant="contained" disabled={!changed || isLoading}>
              Save
            </Button>
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}
