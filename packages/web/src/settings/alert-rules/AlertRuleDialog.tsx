import {
  Alert,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormControlLabel,
  MenuItem,
  Stack,
  Switch,
  TextField,
} from '@mui/material';
import { type FormEvent, useId, useState } from 'react';
import { problemDetail } from '../../api/base-query';
import { fieldErrorsOf } from '../problem-fields';
import { ALERT_RULE_KINDS, GRADES, KIND_LABELS, usesThreshold } from './alert-rule-kinds';
import {
  type AlertRule,
  type AlertRuleFields,
  type AlertRuleKind,
  useCreateAlertRuleMutation,
  useUpdateAlertRuleMutation,
} from './alert-rules.api';

/** Where a new score rule starts: a hot lead. */
const DEFAULT_THRESHOLD = 80;

interface Draft {
  name: string;
  kind: AlertRuleKind;
  threshold: string;
  grade: string;
  isActive: boolean;
}

const draftOf = (rule: AlertRule | null): Draft => ({
  name: rule?.name ?? '',
  kind: rule?.kind ?? 'score_above',
  threshold: String(rule?.threshold ?? DEFAULT_THRESHOLD),
  grade: rule?.grade ?? 'A1',
  isActive: rule?.isActive ?? true,
});

/** The rule the draft describes, or what is wrong with it by field. */
export function readDraft(
  draft: Draft,
): { fields: AlertRuleFields } | { problems: Record<string, string> } {
  const problems: Record<string, string> = {};
  const name = draft.name.trim();
  if (!name) problems.name = 'Give the rule a name.';
  const threshold = Number(draft.threshold);
  const thresholdOk = /^\d+$/.test(draft.threshold.trim()) && threshold >= 1 && threshold <= 100;
  if (usesThreshold(draft.kind) && !thresholdOk)
    problems.threshold = 'A whole number from 1 to 100.';
  if (Object.keys(problems).length > 0) return { problems };
  return {
    fields: {
      name,
      kind: draft.kind,
      isActive: draft.isActive,
      // The API keeps only what the kind uses: a threshold, or a grade.
      ...(usesThreshold(draft.kind) ? { threshold } : { grade: draft.grade }),
    },
  };
}

/** Creates an alert rule, or edits `rule`. */
export function AlertRuleDialog({
  rule,
  onClose,
}: {
  rule: AlertRule | null;
  onClose: () => void;
}) {
  const titleId = useId();
  const [draft, setDraft] = useState(() => draftOf(rule));
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [createRule, created] = useCreateAlertRuleMutation();
  const [updateRule, updated] = useUpdateAlertRuleMutation();
  const { error, isLoading } = rule ? updated : created;
  const apiFields = fieldErrorsOf(error);
  const shown = { ...apiFields, ...problems };
  const unplaced = error && Object.keys(apiFields).length === 0 ? problemDetail(error) : null;

  const edit = <K extends keyof Draft>(field: K, value: Draft[K]) => {
    setDraft((current) => ({ ...current, [field]: value }));
    setProblems(({ [field]: _, ...rest }) => rest);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const read = readDraft(draft);
    if ('problems' in read) {
      setProblems(read.problems);
      return;
    }
    const answer = rule
      ? await updateRule({ id: rule.id, change: read.fields })
      : await createRule(read.fields);
    if (!('error' in answer)) onClose();
  };

  return (
    <Dialog open onClose={onClose} aria-labelledby={titleId} fullWidth>
      <form onSubmit={submit} noValidate>
        <DialogTitle id={titleId}>{rule ? 'Edit alert rule' : 'New alert rule'}</DialogTitle>
        <DialogContent>
          <Stack spacing={2} sx={{ pt: 1 }}>
            {unplaced && <Alert severity="error">{unplaced}</Alert>}
            <TextField
              label="Name"
              value={draft.name}
              required
              onChange={(event) => edit('name', event.target.value)}
              error={Boolean(shown.name)}
              helperText={shown.name}
              slotProps={{ htmlInput: { maxLength: 255 } }}
            />
            <TextField
              select
              label="Alert when"
              value={draft.kind}
              onChange={(event) => edit('kind', event.target.value as AlertRuleKind)}
            >
              {ALERT_RULE_KINDS.map((kind) => (
                <MenuItem key={kind} value={kind}>
                  {KIND_LABELS[kind]}
                </MenuItem>
              ))}
            </TextField>
            {usesThreshold(draft.kind) ? (
              <TextField
                label="Threshold"
                type="number"
                value={draft.threshold}
                onChange={(event) => edit('threshold', event.target.value)}
                error={Boolean(shown.threshold)}
                helperText={shown.threshold ?? 'A score from 1 to 100.'}
                slotProps={{ htmlInput: { min: 1, max: 100, step: 1 } }}
              />
            ) : (
              <TextField
                select
                label="Grade"
                value={draft.grade}
                onChange={(event) => edit('grade', event.target.value)}
                error={Boolean(shown.grade)}
                helperText={shown.grade}
              >
                {GRADES.map((grade) => (
                  <MenuItem key={grade} value={grade}>
                    {grade}
                  </MenuItem>
                ))}
              </TextField>
            )}
            <FormControlLabel
              label="Active"
              control={
                <Switch
                  checked={draft.isActive}
                  onChange={(event) => edit('isActive', event.target.checked)}
                />
              }
            />
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="contained" disabled={isLoading}>
            {rule ? 'Save' : 'Create rule'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
