import {
  Alert,
  Button,
  Checkbox,
  CircularProgress,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  FormControlLabel,
  Stack,
} from '@mui/material';
import { useState } from 'react';
import { problemDetail } from '../api/base-query';
import { useCan } from '../auth/permissions';
import { ChangeOutcome } from './ChangeOutcome';
import { GateVerdict } from './GateVerdict';
import { type Model, useActivateModelMutation, useGetModelQuery } from './models.api';

interface ActivateModelDialogProps {
  model: Model;
  onClose: () => void;
}

/**
 * Activates a version: shows the deployment gate's verdict first; below the gate activation
 * is refused, unless the user may override the gate and confirms it. Then follows the rescore
 * of every lead it starts.
 */
export function ActivateModelDialog({ model, onClose }: ActivateModelDialogProps) {
  const mayOverride = useCan('models:override_gate');
  const detail = useGetModelQuery(model.id);
  const [activate, { data: activation, error, isLoading }] = useActivateModelMutation();
  const [confirmed, setConfirmed] = useState(false);
  const gate = detail.data?.gate ?? null;
  const refused = gate !== null && !gate.passed;
  const title = `Activate ${model.name} (version ${model.version})`;

  const body = () => {
    if (activation)
      return (
        <ChangeOutcome
          message={`Version ${activation.version} now scores your leads.`}
          rescore={activation.rescore}
        />
      );
    if (detail.isLoading) return <CircularProgress aria-label="Loading the deployment gate" />;
    if (detail.error) return <Alert severity="error">{problemDetail(detail.error)}</Alert>;
    return (
      <Stack spacing={2}>
        <GateVerdict gate={gate} />
        <DialogContentText>
          New activities are scored with this version at once, and every lead is rescored in the
          background. The version in use now can be restored with a rollback.
        </DialogContentText>
        {refused && !mayOverride && (
          <Alert severity="error">
            Activation is refused below the gate. An admin or owner may activate it anyway.
          </Alert>
        )}
        {refused && mayOverride && (
          <FormControlLabel
            control={
              <Checkbox
                checked={confirmed}
                onChange={(event) => setConfirmed(event.target.checked)}
              />
            }
            label="I have reviewed this version and accept that it ranks leads less well than the gate asks (the override is audited)"
          />
        )}
        {error && <Alert severity="error">{problemDetail(error)}</Alert>}
      </Stack>
    );
  };

  const canSubmit = !activation && detail.data !== undefined && (!refused || mayOverride);
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="sm" aria-labelledby="activate-title">
      <DialogTitle id="activate-title">{title}</DialogTitle>
      <DialogContent>{body()}</DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{activation ? 'Close' : 'Cancel'}</Button>
        {canSubmit && (
          <Button
            variant="contained"
            color={refused ? 'warning' : 'primary'}
            disabled={refused && !confirmed}
            loading={isLoading}
            onClick={() => activate({ id: model.id, force: refused })}
          >
            {refused ? 'Activate anyway' : 'Activate'}
          </Button>
        )}
      </DialogActions>
    </Dialog>
  );
}
