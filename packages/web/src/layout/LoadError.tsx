import { Alert, Button } from '@mui/material';
import { problemDetail } from '../api/base-query';

/** The server's reason a read failed (problem+json `detail`), with a way to try again. */
export function LoadError({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  return (
    <Alert
      severity="error"
      action={
        <Button color="inherit" onClick={onRetry}>
          Retry
        </Button>
      }
    >
      {problemDetail(error)}
    </Alert>
  );
}
