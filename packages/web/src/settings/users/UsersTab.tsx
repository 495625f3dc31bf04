import {
  Alert,
  Button,
  MenuItem,
  Stack,
  TableCell,
  TableRow,
  TextField,
  Typography,
} from '@mui/material';
import { useState } from 'react';
import { problemDetail } from '../../api/base-query';
import { useAppSelector } from '../../hooks';
import { ConfirmDialog } from '../ConfirmDialog';
import { OnceShownSecret } from '../OnceShownSecret';
import { useCursorPages } from '../paging';
import { SettingsList, when } from '../SettingsList';
import { UserForm } from './UserForm';
import {
  type CreatedUser,
  type OrganizationUser,
  ROLE_LABELS,
  ROLES,
  type Role,
  useListOrganizationUsersQuery,
  useUpdateUserMutation,
} from './users.api';

const nameOf = (user: OrganizationUser) =>
  [user.firstName, user.lastName].filter(Boolean).join(' ') || '—';

/**
 * The organisation's users: add one (with a temporary password shown once), change a role,
 * deactivate or reactivate. The API has the last word on who may do what to whom (only owners
 * touch owners, no one changes themselves), and its refusal is shown as it gives it.
 */
export function UsersTab() {
  const me = useAppSelector((state) => state.session.current?.user);
  const pages = useCursorPages();
  const query = useListOrganizationUsersQuery(pages.query);
  const [updateUser, update] = useUpdateUserMutation();
  const [adding, setAdding] = useState(false);
  const [created, setCreated] = useState<CreatedUser | null>(null);
  const [deactivating, setDeactivating] = useState<OrganizationUser | null>(null);
  // Only owners grant the owner role (the API refuses anyone else).
  const isOwner = me?.role === 'owner';
  const assignableRoles = ROLES.filter((role) => role !== 'owner' || isOwner);

  const changeRole = (user: OrganizationUser, role: Role) => {
    if (role !== user.role) updateUser({ id: user.id, change: { role } });
  };
  const deactivate = async (user: OrganizationUser) => {
    const answer = await updateUser({ id: user.id, change: { isActive: false } });
    if (!('error' in answer)) setDeactivating(null);
  };

  return (
    <Stack spacing={2}>
      <Stack direction="row" sx={{ justifyContent: 'space-between', alignItems: 'center' }}>
        <Typography variant="h6" component="h2">
          Users
        </Typography>
        <Button variant="contained" onClick={() => setAdding(true)}>
          Add user
        </Button>
      </Stack>
      {update.error && !deactivating ? (
        <Alert severity="error" onClose={() => update.reset()}>
          {problemDetail(update.error)}
        </Alert>
      ) : null}
      <SettingsList
        label="Users"
        headers={['User', 'Role', 'Active', 'Last login', 'Actions']}
        query={query}
        rowCount={query.data?.data.length}
        emptyText="No users."
        pages={pages}
        nextCursor={query.data?.nextCursor}
      >
        {query.data?.data.map((user) => {
          const isMe = user.id === me?.id;
          return (
            <TableRow key={user.id} data-user-email={user.email}>
              <TableCell>
                <Typography variant="body2">{nameOf(user)}</Typography>
                <Typography variant="caption" color="text.secondary">
                  {user.email}
                </Typography>
              </TableCell>
              <TableCell>
                <TextField
                  select
                  size="small"
                  label={`Role of ${user.email}`}
                  value={user.role}
                  disabled={isMe || update.isLoading}
                  helperText={isMe ? 'Another admin changes yours.' : undefined}
                  onChange={(event) => changeRole(user, event.target.value as Role)}
                  sx={{ width: 200 }}
                >
                  {ROLES.map((role) => (
                    <MenuItem key={role} value={role} disabled={!assignableRoles.includes(role)}>
                      {ROLE_LABELS[role]}
                    </MenuItem>
                  ))}
                </TextField>
              </TableCell>
              <TableCell>{user.isActive ? 'Active' : 'Deactivated'}</TableCell>
              <TableCell sx={{ whiteSpace: 'nowrap' }}>{when(user.lastLoginAt)}</TableCell>
              <TableCell>
                {!isMe &&
                  (user.isActive ? (
                    <Button
                      color="error"
                      aria-label={`Deactivate ${user.email}`}
                      onClick={() => {
                        update.reset();
                        setDeactivating(user);
                      }}
                    >
                      Deactivate
                    </Button>
                  ) : (
                    <Button
                      aria-label={`Reactivate ${user.email}`}
                      disabled={update.isLoading}
                      onClick={() => updateUser({ id: user.id, change: { isActive: true } })}
                    >
                      Reactivate
                    </Button>
                  ))}
              </TableCell>
            </TableRow>
          );
        })}
      </SettingsList>
      {adding && (
        <UserForm
          assignableRoles={assignableRoles}
          onClose={() => setAdding(false)}
          onCreated={(user) => {
            setAdding(false);
            setCreated(user);
          }}
        />
      )}
      {created?.temporaryPassword && (
        <OnceShownSecret
          title={`${created.email} is added`}
          label="Temporary password"
          secret={created.temporaryPassword}
          explanation="No email is sent: give this password to the user yourself."
          onClose={() => setCreated(null)}
        />
      )}
      {deactivating && (
        <ConfirmDialog
          title={`Deactivate ${deactivating.email}?`}
          message="They are signed out at once and can no longer sign in. You can reactivate them later."
          confirmLabel="Deactivate"
          busy={update.isLoading}
          error={update.error}
          onConfirm={() => deactivate(deactivating)}
          onClose={() => {
            update.reset();
            setDeactivating(null);
          }}
        />
      )}
    </Stack>
  );
}
