import { Alert } from '@mui/material';
import { formatMetric } from './format';
import type { Gate } from './models.api';

/**
 * The deployment gate's verdict on a version: its ROC AUC must be strictly above the
 * threshold for it to be activated without an override.
 */
export function GateVerdict({ gate }: { gate: Gate | null }) {
  if (!gate)
    return (
      <Alert severity="info">
        This version has no metrics yet, so the deployment gate does not apply.
      </Alert>
    );
  const comparison = `ROC AUC ${formatMetric(gate.value)} ${gate.passed ? 'is above' : 'is not above'} the deployment gate of ${formatMetric(gate.threshold)}`;
  return gate.passed ? (
    <Alert severity="success">Passes the deployment gate: {comparison}.</Alert>
  ) : (
    <Alert severity="warning">Below the deployment gate: {comparison}.</Alert>
  );
}
