import {
  Alert,
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormControl,
  FormControlLabel,
  FormGroup,
  FormHelperText,
  FormLabel,
  Stack,
  TextField,
} from '@mui/material';
import { type FormEvent, useId, useState } from 'react';
import { problemDetail } from '../../api/base-query';
import { fieldErrorsOf } from '../problem-fields';
import {
  API_KEY_SCOPES,
  type ApiKeyScope,
  type CreatedApiKey,
  SCOPE_LABELS,
  useCreateApiKeyMutation,
} from './api-keys.api';

/** Names a new API key and picks what it may do; `onCreated` gets the key, to show once. */
export function CreateApiKeyDialog({
  onCreated,
  onClose,
}: {
  onCreated: (key: CreatedApiKey) => void;
  onClose: () => void;
}) {
  const titleId = useId();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<ApiKeyScope[]>([]);
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [createApiKey, { isLoading, error }] = useCreateApiKeyMutation();
  const apiFields = fieldErrorsOf(error);
  const shown = { ...apiFields, ...problems };
  const unplaced = error && Object.keys(apiFields).length === 0 ? problemDetail(error) : null;

  const toggle = (scope: ApiKeyScope, on: boolean) => {
    setScopes((current) => (on ? [...current, scope] : current.filter((s) => s !== scope)));
    setProblems(({ scopes: _, ...rest }) => rest);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (!name.trim()) found.name = 'Say what the key is for.';
    if (scopes.length === 0) found.scopes = 'Choose at least one permission.';
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    const answer = await createApiKey({ name: name.trim(), scopes });
    if ('data' in answer && answer.data) onCreated(answer.data);
  };

  return (
    <Dialog open onClose={onClose} aria-labelledby={titleId} fullWidth>
      <form onSubmit={submit} noValidate>
        <DialogTitle id={titleId}>Create an API key</DialogTitle>
        <DialogContent>
          <Stack spacing={2} sx={{ pt: 1 }}>
            {unplaced && <Alert severity="error">{unplaced}</Alert>}
            <TextField
              label="Name"
              value={name}
              required
              onChange={(event) => {
                setName(event.target.value);
                setProblems(({ name: _, ...rest }) => rest);
              }}
              error={Boolean(shown.name)}
              helperText={shown.name ?? 'What the key is for, e.g. “CRM sync”.'}
              slotProps={{ htmlInput: { maxLength: 255 } }}
            />
            <FormControl component="fieldset" error={Boolean(shown.scopes)}>
              <FormLabel component="legend">Permissions</FormLabel>
              <FormGroup>
                {API_KEY_SCOPES.map((scope) => (
                  <FormControlLabel
                    key={scope}
                    label={SCOPE_LABELS[scope]}
                    control={
                      <Checkbox
                        checked={scopes.includes(scope)}
                        onChange={(event) => toggle(scope, event.target.checked)}
                      />
                    }
                  />
                ))}
              </FormGroup>
              {shown.scopes && <FormHelperText>{shown.scopes}</FormHelperText>}
            </FormControl>
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="contained" disabled={isLoading}>
            Create key
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
