import { Button, Chip, Stack, TableCell, TableRow, Typography } from '@mui/material';
import { useState } from 'react';
import { ConfirmDialog } from '../ConfirmDialog';
import { OnceShownSecret } from '../OnceShownSecret';
import { useCursorPages } from '../paging';
import { SettingsList, when } from '../SettingsList';
import {
  type ApiKey,
  type CreatedApiKey,
  useListApiKeysQuery,
  useRevokeApiKeyMutation,
} from './api-keys.api';
import { CreateApiKeyDialog } from './CreateApiKeyDialog';

/** Revoked, expired or working. */
function keyState(key: ApiKey, now: number): string {
  if (key.revokedAt) return `Revoked ${when(key.revokedAt)}`;
  if (key.expiresAt && Date.parse(key.expiresAt) <= now) return `Expired ${when(key.expiresAt)}`;
  return 'Active';
}

/**
 * The organisation's API keys, for servers and integrations: create one (the key is shown once,
 * only its hash is kept), see when each was last used, and revoke one.
 */
export function ApiKeysTab() {
  const pages = useCursorPages();
  const query = useListApiKeysQuery(pages.query);
  const [revokeApiKey, revoke] = useRevokeApiKeyMutation();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const now = Date.now();

  const confirmRevoke = async (key: ApiKey) => {
    const answer = await revokeApiKey(key.id);
    if (!('error' in answer)) setRevoking(null);
  };

  return (
    <Stack spacing={2}>
      <Stack direction="row" sx={{ justifyContent: 'space-between', alignItems: 'center' }}>
        <Typography variant="h6" component="h2">
          API keys
        </Typography>
        <Button variant="contained" onClick={() => setCreating(true)}>
          Create API key
        </Button>
      </Stack>
      <Typography variant="body2" color="text.secondary">
        Servers send a key as the <code>X-API-Key</code> header (or{' '}
        <code>Authorization: Bearer</code>
        ).
      </Typography>
      <SettingsList
        label="API keys"
        headers={['Name', 'Permissions', 'Prefix', 'Created', 'Last used', 'State', 'Actions']}
        query={query}
        rowCount={query.data?.data.length}
        emptyText="No API keys yet."
        pages={pages}
        nextCursor={query.data?.nextCursor}
      >
        {query.data?.data.map((key) => (
          <TableRow key={key.id} data-api-key-prefix={key.prefix}>
            <TableCell>{key.name}</TableCell>
            <TableCell>
              <Stack direction="row" spacing={0.5} useFlexGap sx={{ flexWrap: 'wrap' }}>
                {key.scopes.map((scope) => (
                  <Chip key={scope} size="small" label={scope} />
                ))}
              </Stack>
            </TableCell>
            <TableCell sx={{ fontFamily: 'monospace' }}>lsk_{key.prefix}_…</TableCell>
            <TableCell sx={{ whiteSpace: 'nowrap' }}>{when(key.createdAt)}</TableCell>
            <TableCell sx={{ whiteSpace: 'nowrap' }}>{when(key.lastUsedAt)}</TableCell>
            <TableCell sx={{ whiteSpace: 'nowrap' }}>{keyState(key, now)}</TableCell>
            <TableCell>
              {!key.revokedAt && (
                <Button
                  color="error"
                  aria-label={`Revoke ${key.name}`}
                  onClick={() => {
                    revoke.reset();
                    setRevoking(key);
                  }}
                >
                  Revoke
                </Button>
              )}
            </TableCell>
          </TableRow>
        ))}
      </SettingsList>
      {creating && (
        <CreateApiKeyDialog
          onClose={() => setCreating(false)}
          onCreated={(key) => {
            setCreating(false);
            setCreated(key);
          }}
        />
      )}
      {created && (
        <OnceShownSecret
          title={`API key “${created.name}” created`}
          label="API key"
          secret={created.key}
          explanation="Only its hash is kept: if it is lost, revoke it and create another."
          onClose={() => setCreated(null)}
        />
      )}
      {revoking && (
        <ConfirmDialog
          title={`Revoke “${revoking.name}”?`}
          message="It stops working at once, for every server using it. This cannot be undone."
          confirmLabel="Revoke"
          busy={revoke.isLoading}
          error={revoke.error}
          onConfirm={() => confirmRevoke(revoking)}
          onClose={() => setRevoking(null)}
        />
      )}
    </Stack>
  );
}
