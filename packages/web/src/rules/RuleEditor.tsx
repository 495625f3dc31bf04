import DeleteOutlineIcon from '@mui/icons-material/DeleteOutlineOutlined';
import {
  Alert,
  Autocomplete,
  Box,
  Checkbox,
  FormControlLabel,
  IconButton,
  MenuItem,
  Paper,
  TextField,
} from '@mui/material';
import { errorAt, type FieldErrors } from './field-errors';
import type { RuleDraft } from './rules-draft';
import type { CriterionOp } from './rules-json';

const OPERATORS: readonly { value: CriterionOp; label: string }[] = [
  { value: 'gte', label: 'is at least' },
  { value: 'lte', label: 'is at most' },
  { value: 'between', label: 'is between' },
  { value: 'equals', label: 'is' },
  { value: 'in', label: 'is one of' },
  { value: 'contains', label: 'contains' },
  { value: 'exists', label: 'has a value' },
];

interface RuleEditorProps {
  rule: RuleDraft;
  /** Its position in the model: API errors name rules by it (`rules[3].points`). */
  index: number;
  /** Features and attributes to suggest as the criterion's subject. */
  subjects: readonly string[];
  errors: FieldErrors;
  readOnly: boolean;
  onChange: (rule: RuleDraft) => void;
  onRemove: () => void;
}

/** One rule: what it tests, and the points it gives (or takes) when the test matches. */
export function RuleEditor({
  rule,
  index,
  subjects,
  errors,
  readOnly,
  onChange,
  onRemove,
}: RuleEditorProps) {
  const at = `rules[${index}]`;
  const set = <K extends keyof RuleDraft>(key: K, value: RuleDraft[K]) =>
    onChange({ ...rule, [key]: value });
  const field = (path: string, ...more: string[]) => {
    const message = errorAt(errors, `${at}.${path}`, ...more.map((p) => `${at}.${p}`));
    return { error: Boolean(message), helperText: message };
  };
  const input = { htmlInput: { readOnly } };
  const ruleError = errors.get(at) ?? errors.get(`${at}.criterion`);
  const name = `Rule ${rule.id || index + 1}`;

  return (
    <Paper variant="outlined" role="group" aria-label={name} sx={{ p: 2 }}>
      <Box
        sx={{
          display: 'grid',
          gap: 2,
          gridTemplateColumns: { xs: 'repeat(2, minmax(0, 1fr))', sm: 'repeat(6, minmax(0, 1fr))' },
          alignItems: 'start',
        }}
      >
        <TextField
          label="Description"
          value={rule.description}
          onChange={(event) => set('description', event.target.value)}
          {...field('description')}
          slotProps={input}
          sx={{ gridColumn: { xs: 'span 2', sm: 'span 4' } }}
          size="small"
        />
        <TextField
          label="Rule ID"
          value={rule.id}
          onChange={(event) => set('id', event.target.value)}
          {...field('id')}
          slotProps={input}
          sx={{ gridColumn: { xs: 'span 2' } }}
          size="small"
        />
        <Autocomplete
          freeSolo
          options={subjects}
          inputValue={rule.subject}
          onInputChange={(_, value) => set('subject', value)}
          readOnly={readOnly}
          sx={{ gridColumn: { xs: 'span 2' } }}
          size="small"
          renderInput={(params) => (
            <TextField
              {...params}
              label="Feature or attribute"
              {...field('criterion.feature', 'criterion.attribute')}
            />
          )}
        />
        <TextField
          select
          label="Test"
          value={rule.op}
          onChange={(event) => set('op', event.target.value as CriterionOp)}
          {...field('criterion.op')}
          slotProps={{ select: { readOnly } }}
          sx={{ gridColumn: { sm: 'span 2' } }}
          size="small"
        >
          {OPERATORS.map((operator) => (
            <MenuItem key={operator.value} value={operator.value}>
              {operator.label}
            </MenuItem>
          ))}
        </TextField>
        {rule.op === 'between' ? (
          <>
            <TextField
              label="From"
              value={rule.value}
              onChange={(event) => set('value', event.target.value)}
              {...field('criterion.value[0]', 'criterion.value')}
              slotProps={input}
              size="small"
            />
            <TextField
              label="To"
              value={rule.valueTo}
              onChange={(event) => set('valueTo', event.target.value)}
              {...field('criterion.value[1]')}
              slotProps={input}
              size="small"
            />
          </>
        ) : (
          rule.op !== 'exists' && (
            <TextField
              label={rule.op === 'in' ? 'Values (comma-separated)' : 'Value'}
              value={rule.value}
              onChange={(event) => set('value', event.target.value)}
              {...field('criterion.value')}
              slotProps={input}
              sx={{ gridColumn: { sm: 'span 2' } }}
              size="small"
            />
          )
        )}
        <TextField
          label="Points"
          value={rule.points}
          onChange={(event) => set('points', event.target.value)}
          {...field('points')}
          slotProps={{ htmlInput: { readOnly, inputMode: 'decimal' } }}
          sx={{ gridColumn: { sm: 'span 2' } }}
          size="small"
        />
        <FormControlLabel
          label="Award per unit of the feature"
          control={
            <Checkbox
              checked={rule.perUnit}
              disabled={readOnly}
              onChange={(event) => set('perUnit', event.target.checked)}
            />
          }
          sx={{ gridColumn: { xs: 'span 2' } }}
        />
        {rule.perUnit && (
          <TextField
            label="At most (points)"
            value={rule.maxPoints}
            onChange={(event) => set('maxPoints', event.target.value)}
            {...field('maxPoints', 'perUnit')}
            slotProps={{ htmlInput: { readOnly, inputMode: 'decimal' } }}
            size="small"
          />
        )}
        {!readOnly && (
          <IconButton
            aria-label={`Remove ${name}`}
            onClick={onRemove}
            sx={{
              justifySelf: { sm: 'end' },
              gridColumn: { sm: rule.perUnit ? 'auto' : 'span 2' },
            }}
          >
            <DeleteOutlineIcon />
          </IconButton>
        )}
      </Box>
      {ruleError && (
        <Alert severity="error" sx={{ mt: 1 }}>
          {ruleError}
        </Alert>
      )}
    </Paper>
  );
}
