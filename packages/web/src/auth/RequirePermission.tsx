import { Alert } from '@mui/material';
import type { ReactNode } from 'react';
import { type Permission, useCan } from './permissions';

/** Its children for a user holding any of `anyOf`; a plain refusal for anyone else. */
export function RequirePermission({
  anyOf,
  children,
}: {
  anyOf: readonly Permission[];
  children: ReactNode;
}) {
  if (!useCan(...anyOf)) {
    return (
      <Alert severity="warning" role="alert">
        Your role does not give access to this page. An administrator of your organisation can
        change your role.
      </Alert>
    );
  }
  return children;
}
