import { Alert, Box, Button, Paper, Stack, TextField, Typography } from '@mui/material';
import { type FormEvent, useState } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useLoginMutation } from '../api/api';
import { problemDetail } from '../api/base-query';
import { useAppDispatch, useAppSelector } from '../hooks';
import { signedIn } from './session';

/** Email and password; on success, back to the page that asked for a login. */
export function LoginPage() {
  const dispatch = useAppDispatch();
  const signedInAlready = useAppSelector((state) => state.session.current !== null);
  const from = (useLocation().state as { from?: string } | null)?.from ?? '/leads';
  const [login, { isLoading, error }] = useLoginMutation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');

  if (signedInAlready) return <Navigate to={from} replace />;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await login({ email: email.trim(), password });
    if (result.data) dispatch(signedIn(result.data));
  };

  return (
    <Box sx={{ minHeight: '100dvh', display: 'grid', placeItems: 'center', p: 2 }}>
      <Paper component="main" sx={{ p: 4, width: '100%', maxWidth: 400 }}>
        <Stack component="form" spacing={2} onSubmit={submit} noValidate>
          <Typography variant="h5" component="h1">
            Sign in to Leadscore
          </Typography>
          {error && <Alert severity="error">{problemDetail(error)}</Alert>}
          <TextField
            label="Email"
            type="email"
            autoComplete="username"
            value={email}
            onChange={(event) => setEmail(event.target.value)}
            required
            autoFocus
          />
          <TextField
            label="Password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            required
          />
          <Button type="submit" variant="contained" disabled={isLoading || !email || !password}>
            {isLoading ? 'Signing in…' : 'Sign in'}
          </Button>
        </Stack>
      </Paper>
    </Box>
  );
}
