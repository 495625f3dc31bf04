import {
  Alert,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  MenuItem,
  Stack,
  TextField,
} from '@mui/material';
import { type FormEvent, useState } from 'react';
import type { LeadStatus } from '../api/api';
import { problemDetail } from '../api/base-query';
import {
  type CreateModelRequest,
  type Model,
  type ModelAlgorithm,
  type ModelType,
  useCreateModelMutation,
} from './models.api';
import { StatusCheckboxes } from './StatusCheckboxes';

export const ALGORITHMS: readonly { value: ModelAlgorithm; label: string }[] = [
  { value: 'gbdt', label: 'Gradient-boosted trees' },
  { value: 'logistic', label: 'Logistic regression' },
  { value: 'rules', label: 'Scoring rules in use (evaluate only)' },
];

const MODEL_TYPES: readonly { value: ModelType; label: string }[] = [
  { value: 'composite', label: 'Behaviour and profile' },
  { value: 'behavioral', label: 'Behaviour only (activity, engagement)' },
  { value: 'demographic', label: 'Profile only (who the lead is)' },
];

const DEFAULT_WINDOW_DAYS = 365;
const MAX_WINDOW_DAYS = 3650;

interface TrainForm {
  name: string;
  algorithm: ModelAlgorithm;
  modelType: ModelType;
  converted: LeadStatus[];
  lost: LeadStatus[];
  windowDays: string;
}

const INITIAL_FORM: TrainForm = {
  name: '',
  algorithm: 'gbdt',
  modelType: 'composite',
  converted: ['converted'],
  lost: ['lost'],
  windowDays: String(DEFAULT_WINDOW_DAYS),
};

type FormErrors = Partial<Record<'name' | 'converted' | 'lost' | 'windowDays', string>>;

/** What is wrong with the form before it is sent (the API checks again). */
function checkForm(form: TrainForm): FormErrors {
  const errors: FormErrors = {};
  if (!form.name.trim()) errors.name = 'Give the model a name';
  if (form.converted.length === 0) errors.converted = 'Pick at least one status';
  if (form.lost.length === 0) errors.lost = 'Pick at least one status';
  else if (form.lost.some((status) => form.converted.includes(status)))
    errors.lost = 'A status cannot count as both converted and lost';
  const days = Number(form.windowDays);
  if (!Number.isInteger(days) || days < 1 || days > MAX_WINDOW_DAYS)
    errors.windowDays = `A whole number of days from 1 to ${MAX_WINDOW_DAYS}`;
  return errors;
}

function toRequest(form: TrainForm): CreateModelRequest {
  return {
    name: form.name.trim(),
    algorithm: form.algorithm,
    modelType: form.modelType,
    label: { converted: form.converted, lost: form.lost },
    windowDays: Number(form.windowDays),
  };
}

interface TrainModelDialogProps {
  open: boolean;
  onClose: () => void;
  /** Called with the new version (status training) once the server has queued it. */
  onStarted: (model: Model) => void;
}

/** Starts training a model version on the organisation's decided leads. */
export function TrainModelDialog({ open, onClose, onStarted }: TrainModelDialogProps) {
  const [form, setForm] = useState(INITIAL_FORM);
  const [showErrors, setShowErrors] = useState(false);
  const [createModel, { isLoading, error, reset }] = useCreateModelMutation();
  const errors = showErrors ? checkForm(form) : {};
  const set = <K extends keyof TrainForm>(key: K, value: TrainForm[K]) =>
    setForm((current) => ({ ...current, [key]: value }));

  const close = () => {
    setForm(INITIAL_FORM);
    setShowErrors(false);
    reset();
    onClose();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setShowErrors(true);
    if (Object.keys(checkForm(form)).length > 0) return;
    const result = await createModel(toRequest(form));
    if ('data' in result && result.data) {
      onStarted(result.data);
      close();
    }
  };

  return (
    <Dialog open={open} onClose={close} fullWidth maxWidth="sm">
      <form onSubmit={submit} noValidate>
        <DialogTitle>Train a model</DialogTitle>
        <DialogContent>
          <Stack spacing={2} sx={{ pt: 1 }}>
            <TextField
              label="Name"
              value={form.name}
              onChange={(event) => set('name', event.target.value)}
              error={Boolean(errors.name)}
              helperText={errors.name}
              required
              autoFocus
            />
            <TextField
              select
              label="Algorithm"
              value={form.algorithm}
              onChange={(event) => set('algorithm', event.target.value as ModelAlgorithm)}
            >
              {ALGORITHMS.map((option) => (
                <MenuItem key={option.value} value={option.value}>
                  {option.label}
                </MenuItem>
              ))}
            </TextField>
            <TextField
              select
              label="Features"
              value={form.modelType}
              onChange={(event) => set('modelType', event.target.value as ModelType)}
              helperText="Which lead features the model may learn from"
            >
              {MODEL_TYPES.map((option) => (
                <MenuItem key={option.value} value={option.value}>
                  {option.label}
                </MenuItem>
              ))}
            </TextField>
            <StatusCheckboxes
              legend="Counts as converted"
              value={form.converted}
              onChange={(value) => set('converted', value)}
              error={errors.converted}
            />
            <StatusCheckboxes
              legend="Counts as lost"
              value={form.lost}
              onChange={(value) => set('lost', value)}
              error={errors.lost}
            />
            <TextField
              label="Learn from leads decided in the last (days)"
              type="number"
              value={form.windowDays}
              onChange={(event) => set('windowDays', event.target.value)}
              error={Boolean(errors.windowDays)}
              helperText={errors.windowDays}
              slotProps={{ htmlInput: { min: 1, max: MAX_WINDOW_DAYS } }}
            />
            {error && <Alert severity="error">{problemDetail(error)}</Alert>}
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={close}>Cancel</Button>
          <Button type="submit" variant="contained" loading={isLoading}>
            Start training
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
