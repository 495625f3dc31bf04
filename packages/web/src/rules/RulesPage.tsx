import { Alert, Box, CircularProgress, Stack, Typography } from '@mui/material';
import { useState } from 'react';
import { useCan } from '../auth/permissions';
import { LoadError } from '../layout/LoadError';
import { ChangeOutcome } from '../models/ChangeOutcome';
import { RulesEditor } from './RulesEditor';
import { type SavedRules, useGetRulesQuery } from './rules.api';

/**
 * The scoring rules (the points model) in use: read by anyone who sees models, edited,
 * previewed and saved by those who manage them.
 */
export function RulesPage() {
  const mayManage = useCan('models:manage');
  const { data, error, isLoading, refetch } = useGetRulesQuery();
  const [saved, setSaved] = useState<SavedRules | null>(null);

  return (
    <Stack spacing={2}>
      <Typography variant="h5" component="h1">
        Scoring rules
      </Typography>
      {isLoading && (
        <Box sx={{ display: 'grid', placeItems: 'center', py: 8 }}>
          <CircularProgress aria-label="Loading the scoring rules" />
        </Box>
      )}
      {error && <LoadError error={error} onRetry={() => refetch()} />}
      {data && (
        <>
          <Typography color="text.secondary">
            {data.model
              ? `${data.model.name}, version ${data.model.version}.`
              : 'The built-in default rules.'}{' '}
            {mayManage
              ? 'Edit the rules, preview how many leads would change score band, then save.'
              : 'You can read the rules; changing them needs a manager, admin or owner.'}
          </Typography>
          {!data.active && (
            <Alert severity="info">
              A trained model scores your leads now, not these rules. Saving them makes these rules
              score your leads again.
            </Alert>
          )}
          {saved && (
            <ChangeOutcome
              message={`Saved as version ${saved.model?.version ?? ''}: these rules now score your leads.`}
              rescore={saved.rescore}
            />
          )}
          <RulesEditor
            // A saved version starts a fresh draft from what the server now holds.
            key={data.model?.id ?? 'default'}
            rules={data.rules}
            readOnly={!mayManage}
            onSaved={setSaved}
          />
        </>
      )}
    </Stack>
  );
}
