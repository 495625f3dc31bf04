import {
  Button,
  Link as MuiLink,
  Paper,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useAppDispatch } from '../hooks';
import { LoadError } from '../layout/LoadError';
import { type FiredAlert, useListAlertsQuery } from './alerts.api';
import { alertsSeen } from './alerts.slice';

const PAGE_SIZE = 50;

const when = (iso: string) =>
  new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** The alerts fired in the organisation, newest first; new ones appear as they fire. */
export function AlertsPage() {
  const dispatch = useAppDispatch();
  const [cursors, setCursors] = useState<string[]>([]);
  const { data, error, isLoading, isFetching, refetch } = useListAlertsQuery({
    limit: PAGE_SIZE,
    cursor: cursors.at(-1),
  });
  useEffect(() => {
    dispatch(alertsSeen());
  }, [dispatch]);

  return (
    <Stack spacing={2}>
      <Typography variant="h5" component="h1">
        Alerts
      </Typography>
      {error && <LoadError error={error} onRetry={() => refetch()} />}
      {isLoading && <Typography color="text.secondary">Loading alerts…</Typography>}
      {data && data.data.length === 0 && cursors.length === 0 && (
        <Typography color="text.secondary">
          No alert has fired yet. Alert rules (in Settings) say when one should.
        </Typography>
      )}
      {data && data.data.length > 0 && (
        <Paper>
          <TableContainer>
            <Table size="small" aria-label="Alerts">
              <TableHead>
                <TableRow>
                  <TableCell>When</TableCell>
                  <TableCell>Alert</TableCell>
                  <TableCell>Score</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {data.data.map((alert) => (
                  <AlertRow key={alert.id} alert={alert} />
                ))}
              </TableBody>
            </Table>
          </TableContainer>
          <Stack direction="row" spacing={1} sx={{ p: 1, justifyContent: 'flex-end' }}>
            <Button
              disabled={cursors.length === 0 || isFetching}
              onClick={() => setCursors(cursors.slice(0, -1))}
            >
              Newer
            </Button>
            <Button
              disabled={!data.nextCursor || isFetching}
              onClick={() => data.nextCursor && setCursors([...cursors, data.nextCursor])}
            >
              Older
            </Button>
          </Stack>
        </Paper>
      )}
    </Stack>
  );
}

function AlertRow({ alert }: { alert: FiredAlert }) {
  return (
    <TableRow>
      <TableCell sx={{ whiteSpace: 'nowrap' }}>{when(alert.createdAt)}</TableCell>
      <TableCell>
        <MuiLink component={Link} to={`/leads/${alert.leadId}`}>
          {alert.message}
        </MuiLink>
      </TableCell>
      <TableCell sx={{ whiteSpace: 'nowrap' }}>
        {alert.previousScore === null ? alert.score : `${alert.previousScore} → ${alert.score}`}
      </TableCell>
    </TableRow>
  );
}
