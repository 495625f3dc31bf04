import { AppBar, Box, Button, Container, Toolbar, Typography } from '@mui/material';
import { Outlet } from 'react-router';
import { useLogoutMutation } from '../api/api';
import { signedOut } from '../auth/session';
import { useAppDispatch, useAppSelector } from '../hooks';
import { useLiveScores } from '../leads/live-scores';

/** The frame of every signed-in page: the organisation, who is signed in, and sign out. */
export function Shell() {
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
        <Toolbar sx={{ gap: 2 }}>
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
          <Button color="inherit" onClick={signOut}>
            Sign out
          </Button>
        </Toolbar>
      </AppBar>
      <Container component="main" maxWidth="xl" sx={{ py: 3, px: { xs: 1, sm: 3 } }}>
        <Outlet />
      </Container>
    </Box>
  );
}
