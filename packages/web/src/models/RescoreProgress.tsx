import { Alert, LinearProgress, Stack, Typography } from '@mui/material';
import { useEffect, useState } from 'react';
import { problemDetail } from '../api/base-query';
import { useAppDispatch } from '../hooks';
import { useOrganizationEvent } from '../realtime/RealtimeProvider';
import { formatCount } from './format';
import { type Rescore, updateModelsCache, useGetRescoreQuery } from './models.api';

/** While no rescore_progress event arrives (a dropped socket), the progress is asked for. */
const POLL_MS = 3000;

const FINISHED: readonly Rescore['status'][] = ['succeeded', 'failed', 'superseded'];

/**
 * The bulk rescore an activation, a rollback or saved rules queued: every lead scored again
 * with the model now in use. Live from rescore_progress events, polled as a fallback.
 */
export function RescoreProgress({ rescore: queued }: { rescore: Rescore }) {
  const dispatch = useAppDispatch();
  const [polling, setPolling] = useState(true);
  const { data, error } = useGetRescoreQuery(queued.id, {
    pollingInterval: polling ? POLL_MS : 0,
  });
  const rescore = data ?? queued;
  const finished = FINISHED.includes(rescore.status);
  useEffect(() => {
    if (finished) setPolling(false);
  }, [finished]);

  useOrganizationEvent('rescore_progress', (event) => {
    if (event.rescoreId !== queued.id) return;
    dispatch(
      updateModelsCache('getRescore', queued.id, (cached) => {
        // Events and polls may cross: never step back to fewer leads done.
        if (event.done < cached.done) return;
        Object.assign(cached, {
          status: event.status,
          total: event.total,
          done: event.done,
          failed: event.failed,
        });
      }),
    );
  });

  const percent = rescore.total ? Math.min(100, (rescore.done / rescore.total) * 100) : 0;
  return (
    <Stack spacing={1} aria-live="polite">
      <Typography variant="body2">{describe(rescore)}</Typography>
      {!finished && (
        <LinearProgress
          variant={rescore.total ? 'determinate' : 'indeterminate'}
          value={percent}
          aria-label="Rescoring leads"
        />
      )}
      {rescore.status === 'failed' && (
        <Alert severity="error">{rescore.error ?? 'The rescore failed.'}</Alert>
      )}
      {error && !finished && <Alert severity="warning">{problemDetail(error)}</Alert>}
    </Stack>
  );
}

function describe(rescore: Rescore): string {
  const failed = rescore.failed > 0 ? ` (${formatCount(rescore.failed)} could not be scored)` : '';
  const progress =
    rescore.total === null
      ? `${formatCount(rescore.done)} leads`
      : `${formatCount(rescore.done)} of ${formatCount(rescore.total)} leads`;
  switch (rescore.status) {
    case 'queued':
      return 'Rescoring every lead: waiting for the job to start…';
    case 'running':
      return `Rescoring every lead: ${progress} done${failed}.`;
    case 'succeeded':
      return `Every lead rescored: ${progress}${failed}.`;
    case 'failed':
      return `The rescore stopped after ${progress}.`;
    case 'superseded':
      return `A newer change took over after ${progress}; it rescores every lead instead.`;
  }
}
