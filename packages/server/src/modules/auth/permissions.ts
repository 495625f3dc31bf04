import type { UserRole } from '../../db/schema.js';

/**
 * What a caller may do. Every route declares one of these (or `public`); the role table
 * below is the only place that decides who holds which, and API keys hold the subset
 * their scopes name.
 */
export const PERMISSIONS = [
  'organization:read',
  'organization:manage',
  'users:read',
  'users:manage',
  'api_keys:manage',
  'audit:read',
  'leads:read',
  'leads:write',
  'leads:delete',
  'activities:read',
  'activities:write',
  'alerts:read',
  'alerts:manage',
  // Scoring models: read the registry and rules; train, activate, roll back and edit rules;
  // activate a model below the deployment gate.
  'models:read',
  'models:manage',
  'models:override_gate',
  // Analytics (distributions, conversion, model performance, custom reports); bulk data out
  // (exports hold every lead's personal data, so they are a permission of their own) and in.
  'analytics:read',
  'exports:run',
  'imports:run',
] as const;

export type Permission = (typeof PERMISSIONS)[number];

const READ_ONLY: readonly Permission[] = [
  'organization:read',
  'users:read',
  'leads:read',
  'activities:read',
  'alerts:read',
];

export const ROLE_PERMISSIONS: Readonly<Record<UserRole, readonly Permission[]>> = {
  owner: PERMISSIONS,
  admin: PERMISSIONS.filter((p) => p !== 'organization:manage'),
  manager: [
    ...READ_ONLY,
    'leads:write',
    'leads:delete',
    'activities:write',
    'audit:read',
    'alerts:manage',
    'models:read',
    'models:manage',
    'analytics:read',
    'exports:run',
    'imports:run',
  ],
  analyst: [...READ_ONLY, 'models:read', 'analytics:read'],
  sales_rep: [...READ_ONLY, 'leads:write', 'activities:write'],
  viewer: READ_ONLY,
};

/** The permissions an API key may be given: server-to-server ingestion and lead sync. */
export const API_KEY_SCOPES = [
  'activities:write',
  'leads:read',
  'leads:write',
] as const satisfies readonly Permission[];
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];
