import ArrowBackIcon from '@mui/icons-material/ArrowBack';
import { Link } from '@mui/material';
import { Link as RouterLink } from 'react-router';

export function BackToLeads() {
  return (
    <Link
      component={RouterLink}
      to="/leads"
      sx={{ display: 'inline-flex', alignItems: 'center', gap: 0.5, alignSelf: 'flex-start' }}
    >
      <ArrowBackIcon fontSize="small" aria-hidden />
      Back to leads
    </Link>
  );
}
