import { Alert, Box, Paper, Stack, TextField, Typography } from '@mui/material';
import { errorAt, type FieldErrors } from './field-errors';

interface Setting {
  path: string;
  label: string;
}

interface SettingGroup {
  title: string;
  /** What the numbers mean, for the people who edit them. */
  help: string;
  /** Where the API reports a fault of the group as a whole (weights that do not add up). */
  path: string;
  settings: readonly Setting[];
}

const ACTIVITY_LABELS: Record<string, string> = {
  page_view: 'Page view',
  pricing_view: 'Pricing page view',
  email_open: 'Email open',
  email_click: 'Email click',
  form_submit: 'Form submitted',
  content_download: 'Content download',
  demo_request: 'Demo request',
  webinar_attended: 'Webinar attended',
  meeting_booked: 'Meeting booked',
  email_bounce: 'Email bounce',
  unsubscribe: 'Unsubscribe',
};

function groupsOf(halfLifeTypes: readonly string[]): SettingGroup[] {
  return [
    {
      title: 'Points caps',
      help: 'Each group’s summed points are clamped to this range, which maps to a 0–100 group score.',
      path: 'caps',
      settings: [
        { path: 'caps.fit.min', label: 'Fit minimum' },
        { path: 'caps.fit.max', label: 'Fit maximum' },
        { path: 'caps.engagement.min', label: 'Engagement minimum' },
        { path: 'caps.engagement.max', label: 'Engagement maximum' },
      ],
    },
    {
      title: 'Weights',
      help: 'The score blends the two group scores; the weights add up to 1.',
      path: 'weights',
      settings: [
        { path: 'weights.fit', label: 'Fit weight' },
        { path: 'weights.engagement', label: 'Engagement weight' },
      ],
    },
    {
      title: 'Grade thresholds',
      help: 'The lowest fit score for A, B and C (below C is D), and the lowest engagement score for 1, 2 and 3 (below 3 is 4).',
      path: 'grades',
      settings: [
        { path: 'grades.fit.A', label: 'Fit A from' },
        { path: 'grades.fit.B', label: 'Fit B from' },
        { path: 'grades.fit.C', label: 'Fit C from' },
        { path: 'grades.engagement.1', label: 'Engagement 1 from' },
        { path: 'grades.engagement.2', label: 'Engagement 2 from' },
        { path: 'grades.engagement.3', label: 'Engagement 3 from' },
      ],
    },
    {
      title: 'Decay half-lives (days)',
      help: 'How fast an activity’s weight in the decayed counts halves, per activity type.',
      path: 'features.halfLifeDays',
      settings: [
        ...halfLifeTypes.map((type) => ({
          path: `features.halfLifeDays.${type}`,
          label: ACTIVITY_LABELS[type] ?? type,
        })),
        { path: 'features.defaultHalfLifeDays', label: 'Other activity types' },
      ],
    },
  ];
}

interface ScoringSettingsProps {
  values: Record<string, string>;
  halfLifeTypes: readonly string[];
  errors: FieldErrors;
  readOnly: boolean;
  onChange: (path: string, value: string) => void;
}

/** The numbers around the rules: caps, weights, grade thresholds and decay half-lives. */
export function ScoringSettings({
  values,
  halfLifeTypes,
  errors,
  readOnly,
  onChange,
}: ScoringSettingsProps) {
  return (
    <Stack spacing={2}>
      {groupsOf(halfLifeTypes).map((group) => (
        <Paper key={group.title} variant="outlined" sx={{ p: 2 }} component="fieldset">
          <Typography component="legend" variant="subtitle1" sx={{ fontWeight: 600, px: 0.5 }}>
            {group.title}
          </Typography>
          <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
            {group.help}
          </Typography>
          <Box
            sx={{
              display: 'grid',
              gap: 2,
              gridTemplateColumns: 'repeat(auto-fill, minmax(150px, 1fr))',
            }}
          >
            {group.settings.map((setting) => {
              const message = errorAt(errors, setting.path);
              return (
                <TextField
                  key={setting.path}
                  label={setting.label}
                  value={values[setting.path] ?? ''}
                  onChange={(event) => onChange(setting.path, event.target.value)}
                  error={Boolean(message)}
                  helperText={message}
                  slotProps={{ htmlInput: { readOnly, inputMode: 'decimal' } }}
                  size="small"
                />
              );
            })}
          </Box>
          {errors.get(group.path) && (
            <Alert severity="error" sx={{ mt: 1 }}>
              {errors.get(group.path)}
            </Alert>
          )}
        </Paper>
      ))}
    </Stack>
  );
}
