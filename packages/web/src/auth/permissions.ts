import { useAppSelector } from '../hooks';

/**
 * The server's permission names (packages/server/src/modules/auth/permissions.ts). The
 * dashboard hides what the signed-in user's role cannot do; the API enforces it regardless.
 */
export type Permission =
  | 'organization:read'
  | 'organization:manage'
  | 'users:read'
  | 'users:manage'
  | 'api_keys:manage'
  | 'audit:read'
  | 'leads:read'
  | 'leads:write'
  | 'leads:delete'
  | 'activities:read'
  | 'activities:write'
  | 'alerts:read'
  | 'alerts:manage'
  | 'models:read'
  | 'models:manage'
  | 'models:override_gate'
  | 'analytics:read'
  | 'exports:run'
  | 'imports:run';

/** Settings is for those who manage something there (a viewer reads, but has no settings). */
export const SETTINGS_PERMISSIONS: readonly Permission[] = [
  'organization:manage',
  'users:manage',
  'api_keys:manage',
  'alerts:manage',
];

/** The signed-in user's permissions (none when signed out). */
export function usePermissions(): readonly string[] {
  return useAppSelector((state) => state.session.current?.user.permissions) ?? NONE;
}

const NONE: readonly string[] = [];

/** Whether `held` includes any of `wanted`. */
export function holdsAny(held: readonly string[], wanted: readonly Permission[]): boolean {
  return wanted.some((permission) => held.includes(permission));
}

/** Whether the signed-in user holds any of `permissions`. */
export function useCan(...permissions: Permission[]): boolean {
  return holdsAny(usePermissions(), permissions);
}
