import {
  Checkbox,
  FormControl,
  FormControlLabel,
  FormGroup,
  FormHelperText,
  FormLabel,
} from '@mui/material';
import { LEAD_STATUSES, type LeadStatus } from '../api/api';

interface StatusCheckboxesProps {
  legend: string;
  value: readonly LeadStatus[];
  onChange: (value: LeadStatus[]) => void;
  error?: string | null;
}

/** A labelled group of lead-status checkboxes (a fieldset, so its legend names the group). */
export function StatusCheckboxes({ legend, value, onChange, error }: StatusCheckboxesProps) {
  const toggle = (status: LeadStatus, checked: boolean) =>
    onChange(LEAD_STATUSES.filter((s) => (s === status ? checked : value.includes(s))));
  return (
    <FormControl component="fieldset" error={Boolean(error)}>
      <FormLabel component="legend">{legend}</FormLabel>
      <FormGroup row>
        {LEAD_STATUSES.map((status) => (
          <FormControlLabel
            key={status}
            label={status}
            control={
              <Checkbox
                checked={value.includes(status)}
                onChange={(event) => toggle(status, event.target.checked)}
              />
            }
          />
        ))}
      </FormGroup>
      {error && <FormHelperText>{error}</FormHelperText>}
    </FormControl>
  );
}
