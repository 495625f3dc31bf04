import {
  Alert,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  MenuItem,
  Stack,
  TextField,
} from '@mui/material';
import { type FormEvent, useId, useState } from 'react';
import { problemDetail } from '../../api/base-query';
import { fieldErrorsOf } from '../problem-fields';
import {
  type CreatedUser,
  type NewUser,
  ROLE_LABELS,
  type Role,
  useCreateUserMutation,
} from './users.api';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const NAME_MAX = 100;

interface Draft {
  email: string;
  firstName: string;
  lastName: string;
  role: Role;
}

/** What is wrong with the draft before the API is asked, by field. */
export function validateNewUser(draft: Draft): Record<string, string> {
  const problems: Record<string, string> = {};
  if (!draft.email.trim()) problems.email = 'Enter an email address.';
  else if (!EMAIL.test(draft.email.trim())) problems.email = 'This is not an email address.';
  if (draft.firstName.length > NAME_MAX) problems.firstName = `At most ${NAME_MAX} characters.`;
  if (draft.lastName.length > NAME_MAX) problems.lastName = `At most ${NAME_MAX} characters.`;
  return problems;
}

function toNewUser(draft: Draft): NewUser {
  const firstName = draft.firstName.trim();
  const lastName = draft.lastName.trim();
  return {
    email: draft.email.trim(),
    role: draft.role,
    ...(firstName && { firstName }),
    ...(lastName && { lastName }),
  };
}

/** The email the API refuses because another user has it belongs under the email field. */
const FIELD_OF_CODE = { USERS_EMAIL_TAKEN: 'email' };

/**
 * Invites a user: email, names and role. No password is asked for, so the API makes a
 * temporary one, which `onCreated` receives to show once.
 */
export function UserForm({
  assignableRoles,
  onCreated,
  onClose,
}: {
  assignableRoles: readonly Role[];
  onCreated: (user: CreatedUser) => void;
  onClose: () => void;
}) {
  const titleId = useId();
  const [draft, setDraft] = useState<Draft>({
    email: '',
    firstName: '',
    lastName: '',
    role: 'viewer',
  });
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [createUser, { isLoading, error, reset }] = useCreateUserMutation();
  const apiFields = fieldErrorsOf(error, FIELD_OF_CODE);
  const shown = { ...apiFields, ...problems };
  const unplaced = error && Object.keys(apiFields).length === 0 ? problemDetail(error) : null;

  const edit = (field: keyof Draft) => (value: string) => {
    setDraft((current) => ({ ...current, [field]: value }));
    setProblems(({ [field]: _, ...rest }) => rest);
    // The API's objection was to what was sent; an edit answers it.
    reset();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found = validateNewUser(draft);
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    const answer = await createUser(toNewUser(draft));
    if ('data' in answer && answer.data) onCreated(answer.data);
  };

  const field = (name: 'email' | 'firstName' | 'lastName', label: string) => (
    <TextField
      label={label}
      value={draft[name]}
      onChange={(event) => edit(name)(event.target.value)}
      error={Boolean(shown[name])}
      helperText={shown[name]}
      required={name === 'email'}
      type={name === 'email' ? 'email' : 'text'}
      autoComplete="off"
      fullWidth
    />
  );

  return (
    <Dialog open onClose={onClose} aria-labelledby={titleId} fullWidth>
      <form onSubmit={submit} noValidate>
        <DialogTitle id={titleId}>Add a user</DialogTitle>
        <DialogContent>
          <Stack spacing={2} sx={{ pt: 1 }}>
            {unplaced && <Alert severity="error">{unplaced}</Alert>}
            {field('email', 'Email')}
            {field('firstName', 'First name')}
            {field('lastName', 'Last name')}
            <TextField
              select
              label="Role"
              value={draft.role}
              onChange={(event) => edit('role')(event.target.value)}
              error={Boolean(shown.role)}
              helperText={shown.role}
            >
              {assignableRoles.map((role) => (
                <MenuItem key={role} value={role}>
                  {ROLE_LABELS[role]}
                </MenuItem>
              ))}
            </TextField>
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="contained" disabled={isLoading}>
            Add user
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
