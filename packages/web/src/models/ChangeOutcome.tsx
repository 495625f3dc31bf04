import { Alert, Stack } from '@mui/material';
import type { Rescore } from './models.api';
import { RescoreProgress } from './RescoreProgress';

/** What a change of the model in use did, and the rescore of every lead it started. */
export function ChangeOutcome({ message, rescore }: { message: string; rescore: Rescore | null }) {
  return (
    <Stack spacing={2}>
      <Alert severity="success">{message}</Alert>
      {rescore && <RescoreProgress rescore={rescore} />}
    </Stack>
  );
}
