import AddIcon from '@mui/icons-material/Add';
import { Alert, Button, Paper, Stack, Typography } from '@mui/material';
import { useMemo, useState } from 'react';
import { problemDetail } from '../api/base-query';
import { type FieldErrors, fieldErrorsOf, NO_FIELD_ERRORS } from './field-errors';
import { PreviewResult } from './PreviewResult';
import { RuleEditor } from './RuleEditor';
import { type SavedRules, usePreviewRulesMutation, useSaveRulesMutation } from './rules.api';
import { fromDraft, newRule, type RuleDraft, type RulesDraft, toDraft } from './rules-draft';
import type { RuleGroup, RulesJson } from './rules-json';
import { ScoringSettings } from './ScoringSettings';

const PROFILE_ATTRIBUTES = [
  'profile.jobTitle',
  'profile.company',
  'profile.country',
  'profile.industry',
  'profile.companySize',
  'profile.source',
  'profile.email',
  'profile.emailDomain',
];

const GROUPS: readonly { group: RuleGroup; title: string; help: string; add: string }[] = [
  {
    group: 'fit',
    title: 'Fit rules',
    help: 'Who the lead is: title, company, industry, country.',
    add: 'Add a fit rule',
  },
  {
    group: 'engagement',
    title: 'Engagement rules',
    help: 'What the lead did, and how recently. Negative points take away.',
    add: 'Add an engagement rule',
  },
];

interface RulesEditorProps {
  rules: RulesJson;
  readOnly: boolean;
  onSaved: (saved: SavedRules) => void;
}

/**
 * The points model as a form: rules by group, then caps, weights, grades and half-lives. An
 * edit is previewed (how many leads would change band) before it can be saved; the API's
 * objections are shown at the fields they name.
 */
export function RulesEditor({ rules, readOnly, onSaved }: RulesEditorProps) {
  const initial = useMemo(() => toDraft(rules), [rules]);
  const [draft, setDraft] = useState<RulesDraft>(initial);
  const [errors, setErrors] = useState<FieldErrors>(NO_FIELD_ERRORS);
  const [preview, previewState] = usePreviewRulesMutation();
  const [save, saveState] = useSaveRulesMutation();
  const [previewedDraft, setPreviewedDraft] = useState<RulesDraft | null>(null);
  const changed = draft !== initial;
  const previewIsCurrent = previewedDraft === draft && previewState.data !== undefined;
  const failure = previewState.error ?? saveState.error;

  const subjects = useMemo(
    () => [...new Set(initial.rules.map((rule) => rule.subject)), ...PROFILE_ATTRIBUTES].sort(),
    [initial],
  );

  const edit = (next: RulesDraft) => {
    setDraft(next);
    previewState.reset();
    saveState.reset();
  };
  const replaceRule = (key: string, rule: RuleDraft) =>
    edit({ ...draft, rules: draft.rules.map((r) => (r.key === key ? rule : r)) });
  // Adding or removing a rule renumbers the rules after it: errors named by position go stale.
  const addRule = (group: RuleGroup) => {
    setErrors(NO_FIELD_ERRORS);
    edit({ ...draft, rules: [...draft.rules, newRule(group, draft.rules)] });
  };
  const removeRule = (key: string) => {
    setErrors(NO_FIELD_ERRORS);
    edit({ ...draft, rules: draft.rules.filter((rule) => rule.key !== key) });
  };

  const runPreview = async () => {
    const result = await preview(fromDraft(draft));
    setErrors('error' in result ? fieldErrorsOf(result.error) : NO_FIELD_ERRORS);
    setPreviewedDraft(draft);
  };
  const runSave = async () => {
    const result = await save(fromDraft(draft));
    if ('error' in result) setErrors(fieldErrorsOf(result.error));
    else onSaved(result.data);
  };

  return (
    <Stack spacing={3}>
      {GROUPS.map(({ group, title, help, add }) => (
        <Stack key={group} spacing={1.5} component="section" aria-labelledby={`${group}-rules`}>
          <Typography variant="h6" component="h2" id={`${group}-rules`}>
            {title}
          </Typography>
          <Typography variant="body2" color="text.secondary">
            {help}
          </Typography>
          {draft.rules.map(
            (rule, index) =>
              rule.group === group && (
                <RuleEditor
                  key={rule.key}
                  rule={rule}
                  index={index}
                  subjects={subjects}
                  errors={errors}
                  readOnly={readOnly}
                  onChange={(next) => replaceRule(rule.key, next)}
                  onRemove={() => removeRule(rule.key)}
                />
              ),
          )}
          {!readOnly && (
            <Button
              startIcon={<AddIcon />}
              onClick={() => addRule(group)}
              sx={{ alignSelf: 'flex-start' }}
            >
              {add}
            </Button>
          )}
        </Stack>
      ))}
      <Stack spacing={1.5} component="section" aria-labelledby="settings-heading">
        <Typography variant="h6" component="h2" id="settings-heading">
          Scores, grades and decay
        </Typography>
        <ScoringSettings
          values={draft.settings}
          halfLifeTypes={Object.keys(rules.features.halfLifeDays)}
          errors={errors}
          readOnly={readOnly}
          onChange={(path, value) =>
            edit({ ...draft, settings: { ...draft.settings, [path]: value } })
          }
        />
      </Stack>
      {previewIsCurrent && previewState.data && <PreviewResult preview={previewState.data} />}
      {failure && (
        <Alert severity="error">
          {errors.size > 0 ? 'Fix the fields marked above: ' : ''}
          {problemDetail(failure)}
        </Alert>
      )}
      {!readOnly && (
        <Paper
          elevation={3}
          sx={{ position: 'sticky', bottom: 0, p: 1.5, zIndex: 1 }}
          role="region"
          aria-label="Save the rules"
        >
          <Stack
            direction={{ xs: 'column', sm: 'row' }}
            spacing={1}
            sx={{ alignItems: { sm: 'center' } }}
          >
            <Typography variant="body2" color="text.secondary" sx={{ flexGrow: 1 }}>
              {!changed
                ? 'No changes.'
                : previewIsCurrent
                  ? 'Saving scores every lead with these rules from now on.'
                  : 'Preview your changes before saving them.'}
            </Typography>
            <Button
              disabled={!changed}
              onClick={() => {
                setErrors(NO_FIELD_ERRORS);
                edit(initial);
              }}
            >
              Discard changes
            </Button>
            <Button variant="outlined" loading={previewState.isLoading} onClick={runPreview}>
              Preview changes
            </Button>
            <Button
              variant="contained"
              disabled={!changed || !previewIsCurrent}
              loading={saveState.isLoading}
              onClick={runSave}
            >
              Save rules
            </Button>
          </Stack>
        </Paper>
      )}
    </Stack>
  );
}
