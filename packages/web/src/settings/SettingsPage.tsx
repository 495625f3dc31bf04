import { Box, Stack, Tab, Tabs, Typography } from '@mui/material';
import type { ComponentType } from 'react';
import { Link, Navigate, Route, Routes, useLocation } from 'react-router';
import { holdsAny, type Permission, usePermissions } from '../auth/permissions';
import { AlertRulesTab } from './alert-rules/AlertRulesTab';
import { ApiKeysTab } from './api-keys/ApiKeysTab';
import { OrganizationTab } from './organization/OrganizationTab';
import { UsersTab } from './users/UsersTab';

interface SettingsTab {
  /** Under /settings/. */
  path: string;
  label: string;
  /** Shown to a user holding any of these. */
  anyOf: readonly Permission[];
  Page: ComponentType;
}

/**
 * The tabs, in order. Each is shown to those who manage what it holds; the organisation's
 * details are shown to everyone who reaches settings, and editable by its managers.
 */
const SETTINGS_TABS: readonly SettingsTab[] = [
  { path: 'users', label: 'Users', anyOf: ['users:manage'], Page: UsersTab },
  { path: 'api-keys', label: 'API keys', anyOf: ['api_keys:manage'], Page: ApiKeysTab },
  { path: 'alert-rules', label: 'Alert rules', anyOf: ['alerts:manage'], Page: AlertRulesTab },
  {
    path: 'organization',
    label: 'Organisation',
    anyOf: ['organization:read', 'organization:manage'],
    Page: OrganizationTab,
  },
];

/**
 * The organisation's settings, a tab for each thing the user's role manages; /settings opens
 * the first of them, and a tab the role does not give is not routed at all.
 */
export function SettingsPage() {
  const held = usePermissions();
  const { pathname } = useLocation();
  const tabs = SETTINGS_TABS.filter((tab) => holdsAny(held, tab.anyOf));
  const current = tabs.find((tab) => pathname.split('/').includes(tab.path))?.path ?? false;
  const first = tabs[0];
  return (
    <Stack spacing={2}>
      <Typography variant="h5" component="h1">
        Settings
      </Typography>
      <Box component="nav" aria-label="Settings" sx={{ borderBottom: 1, borderColor: 'divider' }}>
        <Tabs value={current} variant="scrollable" scrollButtons="auto" allowScrollButtonsMobile>
          {tabs.map((tab) => (
            <Tab
              key={tab.path}
              value={tab.path}
              label={tab.label}
              component={Link}
              to={`/settings/${tab.path}`}
            />
          ))}
        </Tabs>
      </Box>
      <Routes>
        {tabs.map(({ path, Page }) => (
          <Route key={path} path={path} element={<Page />} />
        ))}
        <Route
          path="*"
          element={first ? <Navigate to={`/settings/${first.path}`} replace /> : null}
        />
      </Routes>
    </Stack>
  );
}
