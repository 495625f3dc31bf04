import {
  Alert,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  Stack,
} from '@mui/material';
import { problemDetail } from '../api/base-query';
import { ChangeOutcome } from './ChangeOutcome';
import { type Model, type Rollback, useRollbackModelMutation } from './models.api';

interface RollbackModelDialogProps {
  model: Model;
  /** The version the rollback restores, when the list holds it. */
  restores: Model | undefined;
  onClose: () => void;
}

const describeModel = (model: Model) => `${model.name} (version ${model.version})`;

/** Undoes the activation of the active version, then follows the rescore it starts. */
export function RollbackModelDialog({ model, restores, onClose }: RollbackModelDialogProps) {
  const [rollback, { data: result, error, isLoading }] = useRollbackModelMutation();
  const restored = model.previousModelId
    ? restores
      ? describeModel(restores)
      : 'the version it replaced'
    : 'the built-in default rules';
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="sm" aria-labelledby="rollback-title">
      <DialogTitle id="rollback-title">Roll back {describeModel(model)}</DialogTitle>
      <DialogContent>
        {result ? (
          <ChangeOutcome message={outcomeOf(result)} rescore={result.rescore} />
        ) : (
          <Stack spacing={2}>
            <DialogContentText>
              This version is retired and {restored} scores your leads again; every lead is rescored
              in the background.
            </DialogContentText>
            {error && <Alert severity="error">{problemDetail(error)}</Alert>}
          </Stack>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{result ? 'Close' : 'Cancel'}</Button>
        {!result && (
          <Button
            variant="contained"
            color="warning"
            loading={isLoading}
            onClick={() => rollback(model.id)}
          >
            Roll back
          </Button>
        )}
      </DialogActions>
    </Dialog>
  );
}

function outcomeOf(result: Rollback): string {
  const now = result.active ? describeModel(result.active) : 'The built-in default rules';
  return `${now} ${result.active ? 'scores' : 'score'} your leads again.`;
}
