import { Box, CircularProgress } from '@mui/material';
import { type ComponentType, type LazyExoticComponent, lazy, Suspense } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { LoginPage } from './auth/LoginPage';
import { SETTINGS_PERMISSIONS } from './auth/permissions';
import { RequirePermission } from './auth/RequirePermission';
import { RequireSession } from './auth/RequireSession';
import { Shell } from './layout/Shell';
import { LeadsPage } from './leads/LeadsPage';

/**
 * A page loaded when first visited: the lead list (where everyone lands) is in the first
 * download, and each other page's code and charts come with it.
 */
function page<K extends string>(
  load: () => Promise<Record<K, ComponentType>>,
  name: K,
): LazyExoticComponent<ComponentType> {
  return lazy(async () => ({ default: (await load())[name] as ComponentType }));
}

const LeadDetailPage = page(() => import('./lead-detail/LeadDetailPage'), 'LeadDetailPage');
const ModelsPage = page(() => import('./models/ModelsPage'), 'ModelsPage');
const ModelPerformancePage = page(
  () => import('./models/ModelPerformancePage'),
  'ModelPerformancePage',
);
const RulesPage = page(() => import('./rules/RulesPage'), 'RulesPage');
const AnalyticsPage = page(() => import('./analytics/AnalyticsPage'), 'AnalyticsPage');
const SettingsPage = page(() => import('./settings/SettingsPage'), 'SettingsPage');
const AlertsPage = page(() => import('./alerts/AlertsPage'), 'AlertsPage');

const loading = (
  <Box sx={{ display: 'grid', placeItems: 'center', py: 8 }}>
    <CircularProgress aria-label="Loading page" />
  </Box>
);

export function App() {
  return (
    <Suspense fallback={loading}>
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route
          element={
            <RequireSession>
              <Shell />
            </RequireSession>
          }
        >
          <Route path="/leads" element={<LeadsPage />} />
          <Route path="/leads/:leadId" element={<LeadDetailPage />} />
          <Route
            path="/models"
            element={
              <RequirePermission anyOf={['models:read']}>
                <ModelsPage />
              </RequirePermission>
            }
          />
          <Route
            path="/models/:modelId"
            element={
              <RequirePermission anyOf={['models:read']}>
                <ModelPerformancePage />
              </RequirePermission>
            }
          />
          <Route
            path="/rules"
            element={
              <RequirePermission anyOf={['models:read']}>
                <RulesPage />
              </RequirePermission>
            }
          />
          <Route
            path="/analytics"
            element={
              <RequirePermission anyOf={['analytics:read']}>
                <AnalyticsPage />
              </RequirePermission>
            }
          />
          <Route
            path="/settings/*"
            element={
              <RequirePermission anyOf={SETTINGS_PERMISSIONS}>
                <SettingsPage />
              </RequirePermission>
            }
          />
          <Route path="/alerts" element={<AlertsPage />} />
          <Route path="*" element={<Navigate to="/leads" replace />} />
        </Route>
      </Routes>
    </Suspense>
  );
}
