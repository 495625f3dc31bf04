import { Alert, Button, Stack, Switch, TableCell, TableRow, Typography } from '@mui/material';
import { useState } from 'react';
import { problemDetail } from '../../api/base-query';
import { ConfirmDialog } from '../ConfirmDialog';
import { useCursorPages } from '../paging';
import { SettingsList } from '../SettingsList';
import { AlertRuleDialog } from './AlertRuleDialog';
import { describeCondition } from './alert-rule-kinds';
import {
  type AlertRule,
  useDeleteAlertRuleMutation,
  useListAlertRulesQuery,
  useUpdateAlertRuleMutation,
} from './alert-rules.api';

/** Which dialog is open: the form (for a new rule, or one to edit) or nothing. */
type Editing = { rule: AlertRule | null } | null;

/**
 * The rules that alert the team about a lead (score crossings, a grade, becoming an MQL):
 * create, edit, switch on and off, delete.
 */
export function AlertRulesTab() {
  const pages = useCursorPages();
  const query = useListAlertRulesQuery(pages.query);
  const [updateRule, toggled] = useUpdateAlertRuleMutation();
  const [deleteRule, deletion] = useDeleteAlertRuleMutation();
  const [editing, setEditing] = useState<Editing>(null);
  const [deleting, setDeleting] = useState<AlertRule | null>(null);

  const confirmDelete = async (rule: AlertRule) => {
    const answer = await deleteRule(rule.id);
    if (!('error' in answer)) setDeleting(null);
  };

  return (
    <Stack spacing={2}>
      <Stack direction="row" sx={{ justifyContent: 'space-between', alignItems: 'center' }}>
        <Typography variant="h6" component="h2">
          Alert rules
        </Typography>
        <Button variant="contained" onClick={() => setEditing({ rule: null })}>
          New alert rule
        </Button>
      </Stack>
      {toggled.error ? (
        <Alert severity="error" onClose={() => toggled.reset()}>
          {problemDetail(toggled.error)}
        </Alert>
      ) : null}
      <SettingsList
        label="Alert rules"
        headers={['Name', 'Condition', 'Active', 'Actions']}
        query={query}
        rowCount={query.data?.data.length}
        emptyText="No alert rules yet."
        pages={pages}
        nextCursor={query.data?.nextCursor}
      >
        {query.data?.data.map((rule) => (
          <TableRow key={rule.id}>
            <TableCell>{rule.name}</TableCell>
            <TableCell>{describeCondition(rule)}</TableCell>
            <TableCell>
              <Switch
                checked={rule.isActive}
                disabled={toggled.isLoading}
                slotProps={{ input: { 'aria-label': `${rule.name} is active` } }}
                onChange={(event) =>
                  updateRule({ id: rule.id, change: { isActive: event.target.checked } })
                }
              />
            </TableCell>
            <TableCell sx={{ whiteSpace: 'nowrap' }}>
              <Button aria-label={`Edit ${rule.name}`} onClick={() => setEditing({ rule })}>
                Edit
              </Button>
              <Button
                color="error"
                aria-label={`Delete ${rule.name}`}
                onClick={() => {
                  deletion.reset();
                  setDeleting(rule);
                }}
              >
                Delete
              </Button>
            </TableCell>
          </TableRow>
        ))}
      </SettingsList>
      {editing && <AlertRuleDialog rule={editing.rule} onClose={() => setEditing(null)} />}
      {deleting && (
        <ConfirmDialog
          title={`Delete “${deleting.name}”?`}
          message="It stops alerting at once. The alerts it already fired stay listed."
          confirmLabel="Delete"
          busy={deletion.isLoading}
          error={deletion.error}
          onConfirm={() => confirmDelete(deleting)}
          onClose={() => setDeleting(null)}
        />
      )}
    </Stack>
  );
}
