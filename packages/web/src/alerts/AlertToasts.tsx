import { Alert, Button, Snackbar } from '@mui/material';
import { Link } from 'react-router';
import { api } from '../api/api';
import { useAppDispatch, useAppSelector } from '../hooks';
import { useOrganizationEvent } from '../realtime/RealtimeProvider';
import { alertArrived, toastDismissed } from './alerts.slice';

/** Shows each `alert_triggered` of the organisation as a toast, one at a time, with its lead. */
export function AlertToasts() {
  const dispatch = useAppDispatch();
  const toast = useAppSelector((state) => state.alerts.toasts[0]);
  useOrganizationEvent('alert_triggered', (alert) => {
    dispatch(alertArrived(alert));
    dispatch(api.util.invalidateTags(['Alert']));
  });
  const dismiss = (_event?: unknown, reason?: string) => {
    // A click elsewhere on the page should not make the user miss the alert.
    if (reason !== 'clickaway') dispatch(toastDismissed());
  };
  return (
    <Snackbar
      key={toast?.key}
      open={toast !== undefined}
      autoHideDuration={8000}
      onClose={dismiss}
      anchorOrigin={{ vertical: 'bottom', horizontal: 'right' }}
    >
      <Alert
        severity="info"
        variant="filled"
        onClose={dismiss}
        action={
          toast && (
            <Button color="inherit" size="small" component={Link} to={`/leads/${toast.leadId}`}>
              Open lead
            </Button>
          )
        }
      >
        {toast?.message}
      </Alert>
    </Snackbar>
  );
}
