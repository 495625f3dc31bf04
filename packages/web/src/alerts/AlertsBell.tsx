import NotificationsIcon from '@mui/icons-material/Notifications';
import { Badge, IconButton } from '@mui/material';
import { Link } from 'react-router';
import { useCan } from '../auth/permissions';
import { useAppSelector } from '../hooks';

/** The way to the alert list, with how many alerts arrived since the user last looked. */
export function AlertsBell() {
  const unseen = useAppSelector((state) => state.alerts.unseen);
  if (!useCan('alerts:read')) return null;
  const label = unseen > 0 ? `Alerts, ${unseen} new` : 'Alerts';
  return (
    <IconButton color="inherit" component={Link} to="/alerts" aria-label={label}>
      <Badge badgeContent={unseen} color="secondary" max={99}>
        <NotificationsIcon />
      </Badge>
    </IconButton>
  );
}
