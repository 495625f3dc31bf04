import { AppBar, Box, Button, Container, Tab, Tabs, Toolbar, Typography } from '@mui/material';
import { Link, Outlet, useLocation } from 'react-router';
import { AlertsBell } from '../alerts/AlertsBell';
import { AlertToasts } from '../alerts/AlertToasts';
import { useLogoutMutation } from '../api/api';
import {
  holdsAny,
  type Permission,
  SETTINGS_PERMISSIONS,
  usePermissions,
} from '../auth/permissions';
import { signedOut } from '../auth/session';
import { useAppDispatch, useAppSelector } from '../hooks';
import { useLiveScores } from '../leads/live-scores';
import { RealtimeProvider } from '../realtime/RealtimeProvider';

interface Section {
  path: string;
  label: string;
  /** Shown to a user holding any of these; everyone when absent. */
  anyOf?: readonly Permission[];
}

const SECTIONS: readonly Section[] = [
  { path: '/leads', label: 'Leads' },
  { path: '/models', label: 'Models', anyOf: ['models:read'] },
  { path: '/rules', label: 'Scoring rules', anyOf: ['models:read'] },
  { path: '/analytics', label: 'Analytics', anyOf: ['analytics:read'] },
  { path: '/settings', label: 'Settings', anyOf: SETTINGS_PERMISSIONS },
];

/** The frame of every signed-in page: sections, alerts, who is signed in, and sign out. */
export function Shell() {
  return (
    <RealtimeProvider>
      <Frame />
    </RealtimeProvider>
  );
}

function Frame() {
  const dispatch = useAppDispatch();
  const session = useAppSelector((state) => state.session.current);
  const [logout] = useLogoutMutation();
  useLiveScores();

  const signOut = async () => {
    // The refresh token is revoked on the server; the session ends here either way.
    if (session) await logout({ refreshToken: session.refreshToken }).catch(() => undefined);
    dispatch(signedOut());
  };

  return (
    <Box sx={{ minHeight: '100dvh', bgcolor: 'background.default' }}>
      <AppBar position="sticky" elevation={0}>
        <Toolbar sx={{ gap: 1 }}>
          <Typography variant="h6" component="span" sx={{ flexGrow: 1 }}>
            Leadscore
          </Typography>
          <Typography
            variant="body2"
            sx={{ display: { xs: 'none', sm: 'block' } }}
            aria-label="Signed in as"
          >
            {session?.user.email} · {session?.user.organizationName}
          </Typography>
          <AlertsBell />
          <Button color="inherit" onClick={signOut}>
            Sign out
          </Button>
        </Toolbar>
        <Sections />
      </AppBar>
      <Container component="main" maxWidth="xl" sx={{ py: 3, px: { xs: 1, sm: 3 } }}>
        <Outlet />
      </Container>
      <AlertToasts />
    </Box>
  );
}

function Sections() {
  const { pathname } = useLocation();
  const held = usePermissions();
  const visible = SECTIONS.filter((section) => !section.anyOf || holdsAny(held, section.anyOf));
  const current = visible.find((section) => pathname.startsWith(section.path))?.path ?? false;
  return (
    <Box component="nav" aria-label="Sections" sx={{ bgcolor: 'primary.dark' }}>
      <Tabs
        value={current}
        variant="scrollable"
        scrollButtons="auto"
        allowScrollButtonsMobile
        textColor="inherit"
        indicatorColor="secondary"
      >
        {visible.map((section) => (
          <Tab
            key={section.path}
            value={section.path}
            label={section.label}
            component={Link}
            to={section.path}
          />
        ))}
      </Tabs>
    </Box>
  );
}
