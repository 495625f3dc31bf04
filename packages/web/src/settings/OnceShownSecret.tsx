import {
  Alert,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Stack,
  TextField,
  Typography,
} from '@mui/material';
import { useState } from 'react';

type CopyState = 'idle' | 'copied' | 'failed';

/**
 * A secret the API returns once (an API key, a temporary password): shown with a copy button
 * and a warning, and gone for good when the dialog closes.
 */
export function OnceShownSecret({
  title,
  label,
  secret,
  explanation,
  onClose,
}: {
  title: string;
  /** The secret's name, which labels its field ("API key", "Temporary password"). */
  label: string;
  secret: string;
  explanation: string;
  onClose: () => void;
}) {
  const [copy, setCopy] = useState<CopyState>('idle');
  const copySecret = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopy('copied');
    } catch {
      // No clipboard (an insecure origin, a refused permission): the field can still be copied.
      setCopy('failed');
    }
  };
  return (
    <Dialog open onClose={onClose} aria-labelledby="once-shown-secret-title" fullWidth>
      <DialogTitle id="once-shown-secret-title">{title}</DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ pt: 1 }}>
          <Alert severity="warning">Copy it now: it will not be shown again. {explanation}</Alert>
          <TextField
            label={label}
            value={secret}
            fullWidth
            onFocus={(event) => event.target.select()}
            slotProps={{
              htmlInput: { readOnly: true, spellCheck: false, style: { fontFamily: 'monospace' } },
            }}
          />
          <Stack direction="row" spacing={2} sx={{ alignItems: 'center' }}>
            <Button variant="outlined" onClick={copySecret}>
              Copy
            </Button>
            <Typography
              variant="body2"
              role="status"
              color={copy === 'failed' ? 'error' : 'success'}
            >
              {copy === 'copied' && 'Copied'}
              {copy === 'failed' && 'Could not copy: select the text and copy it yourself.'}
            </Typography>
          </Stack>
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button variant="contained" onClick={onClose}>
          Done
        </Button>
      </DialogActions>
    </Dialog>
  );
}
