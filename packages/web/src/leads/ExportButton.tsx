import DownloadIcon from '@mui/icons-material/Download';
import { Alert, Button, Snackbar } from '@mui/material';
import { type LeadListQuery, useExportLeadsMutation } from '../api/api';
import { problemDetail } from '../api/base-query';

/** Downloads the leads the list shows (its search and filters, every page) as CSV. */
export function ExportButton({ view }: { view: Pick<LeadListQuery, 'q' | 'status'> }) {
  const [exportLeads, { isLoading, error, reset }] = useExportLeadsMutation();
  return (
    <>
      <Button
        variant="outlined"
        startIcon={<DownloadIcon />}
        disabled={isLoading}
        onClick={() => exportLeads(view)}
      >
        {isLoading ? 'Exporting…' : 'Export CSV'}
      </Button>
      <Snackbar open={error !== undefined} onClose={reset}>
        <Alert severity="error" onClose={reset}>
          {problemDetail(error)}
        </Alert>
      </Snackbar>
    </>
  );
}
