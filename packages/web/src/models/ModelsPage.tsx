import {
  Alert,
  Box,
  Button,
  LinearProgress,
  Link,
  Paper,
  Snackbar,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import { useEffect, useState } from 'react';
import { Link as RouterLink } from 'react-router';
import { problemDetail } from '../api/base-query';
import { useCan } from '../auth/permissions';
import { LoadError } from '../layout/LoadError';
import { ActivateModelDialog } from './ActivateModelDialog';
import { formatDate, formatMetric } from './format';
import { type ModelAction, ModelActions } from './ModelActions';
import { ModelStatusChip } from './ModelStatusChip';
import {
  type Model,
  useListModelsQuery,
  useStartChallengerMutation,
  useStopChallengerMutation,
} from './models.api';
import { RollbackModelDialog } from './RollbackModelDialog';
import { TrainModelDialog } from './TrainModelDialog';
import { TRAINING_POLL_MS, type TrainingComplete, useTrainingUpdates } from './training-updates';

const PAGE_SIZE = 50;

const ALGORITHM_NAMES: Record<Model['algorithm'], string> = {
  gbdt: 'Gradient-boosted trees',
  logistic: 'Logistic regression',
  rules: 'Scoring rules',
};

type OpenDialog =
  | { kind: 'train' }
  | { kind: 'activate'; model: Model }
  | { kind: 'rollback'; model: Model }
  | null;

/**
 * The organisation's model versions, newest first: train a new one and watch it train, open
 * a version's performance, activate it (through the deployment gate), roll back, and run or
 * stop a challenger.
 */
export function ModelsPage() {
  const mayManage = useCan('models:manage');
  const [cursors, setCursors] = useState<string[]>([]);
  const [dialog, setDialog] = useState<OpenDialog>(null);
  const [notice, setNotice] = useState<{ severity: 'success' | 'error'; text: string } | null>(
    null,
  );
  const [training, setTraining] = useState(false);
  const { data, error, isLoading, isFetching, refetch } = useListModelsQuery(
    { limit: PAGE_SIZE, cursor: cursors.at(-1) },
    { pollingInterval: training ? TRAINING_POLL_MS : 0 },
  );
  const models = data?.data ?? [];
  const anyTraining = models.some((model) => model.status === 'training');
  // Polling is the fallback should the model_training_complete event be missed.
  useEffect(() => setTraining(anyTraining), [anyTraining]);

  const [startChallenger] = useStartChallengerMutation();
  const [stopChallenger] = useStopChallengerMutation();

  useTrainingUpdates((event: TrainingComplete) => {
    const model = models.find((candidate) => candidate.id === event.modelId);
    const which = model ? `${model.name} (version ${model.version})` : 'A model';
    setNotice(
      event.status === 'succeeded'
        ? {
            severity: 'success',
            text: `${which} is trained: ROC AUC ${formatMetric(event.rocAuc)}.`,
          }
        : {
            severity: 'error',
            text: `${which} failed to train: ${event.error ?? 'no reason given'}`,
          },
    );
  });

  const changeChallenger = async (run: typeof startChallenger, model: Model, done: string) => {
    const result = await run(model.id);
    setNotice(
      'error' in result
        ? { severity: 'error', text: problemDetail(result.error) }
        : { severity: 'success', text: done },
    );
  };

  const act = (action: ModelAction, model: Model) => {
    switch (action) {
      case 'activate':
        return setDialog({ kind: 'activate', model });
      case 'rollback':
        return setDialog({ kind: 'rollback', model });
      case 'startChallenger':
        return changeChallenger(
          startChallenger,
          model,
          `Version ${model.version} runs as the challenger.`,
        );
      case 'stopChallenger':
        return changeChallenger(
          stopChallenger,
          model,
          `Version ${model.version} no longer runs as the challenger.`,
        );
    }
  };

  return (
    <Stack spacing={2}>
      <Stack direction="row" sx={{ alignItems: 'center', justifyContent: 'space-between', gap: 2 }}>
        <Typography variant="h5" component="h1">
          Models
        </Typography>
        {mayManage && (
          <Button variant="contained" onClick={() => setDialog({ kind: 'train' })}>
            Train a model
          </Button>
        )}
      </Stack>
      {error && <LoadError error={error} onRetry={() => refetch()} />}
      <Paper>
        <Box sx={{ height: 4 }}>{isFetching && <LinearProgress aria-label="Loading models" />}</Box>
        <TableContainer>
          <Table size="small" aria-label="Model versions">
            <TableHead>
              <TableRow>
                <TableCell>Version</TableCell>
                <TableCell>Name</TableCell>
                <TableCell>Algorithm</TableCell>
                <TableCell>Status</TableCell>
                <TableCell align="right">ROC AUC</TableCell>
                <TableCell sx={{ display: { xs: 'none', sm: 'table-cell' } }}>Created</TableCell>
                <TableCell align="right">Actions</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {models.map((model) => (
                <TableRow key={model.id} data-model-id={model.id}>
                  <TableCell>v{model.version}</TableCell>
                  <TableCell>
                    <Link component={RouterLink} to={`/models/${model.id}`}>
                      {model.name}
                    </Link>
                  </TableCell>
                  <TableCell>
                    {ALGORITHM_NAMES[model.algorithm]}
                    <Typography variant="caption" component="div" color="text.secondary">
                      {model.modelType}
                    </Typography>
                  </TableCell>
                  <TableCell>
                    <ModelStatusChip model={model} />
                  </TableCell>
                  <TableCell align="right">{formatMetric(model.rocAuc)}</TableCell>
                  <TableCell sx={{ display: { xs: 'none', sm: 'table-cell' } }}>
                    {formatDate(model.createdAt)}
                  </TableCell>
                  <TableCell align="right">
                    <ModelActions model={model} onAction={act} />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </TableContainer>
        {!isLoading && !error && models.length === 0 && (
          <Typography sx={{ p: 2 }} color="text.secondary">
            No models yet: your leads are scored with the scoring rules.
            {mayManage && ' Train a model once leads have been won and lost.'}
          </Typography>
        )}
        <Stack direction="row" spacing={1} sx={{ p: 1, justifyContent: 'flex-end' }}>
          <Button disabled={cursors.length === 0} onClick={() => setCursors(cursors.slice(0, -1))}>
            Previous
          </Button>
          <Button
            disabled={!data?.nextCursor}
            onClick={() => data?.nextCursor && setCursors([...cursors, data.nextCursor])}
          >
            Next
          </Button>
        </Stack>
      </Paper>

      <TrainModelDialog
        open={dialog?.kind === 'train'}
        onClose={() => setDialog(null)}
        onStarted={(model) =>
          setNotice({
            severity: 'success',
            text: `${model.name} (version ${model.version}) is training.`,
          })
        }
      />
      {dialog?.kind === 'activate' && (
        <ActivateModelDialog model={dialog.model} onClose={() => setDialog(null)} />
      )}
      {dialog?.kind === 'rollback' && (
        <RollbackModelDialog
          model={dialog.model}
          restores={models.find((model) => model.id === dialog.model.previousModelId)}
          onClose={() => setDialog(null)}
        />
      )}
      <Snackbar
        open={notice !== null}
        autoHideDuration={8000}
        onClose={() => setNotice(null)}
        anchorOrigin={{ vertical: 'bottom', horizontal: 'center' }}
      >
        {notice ? (
          <Alert severity={notice.severity} onClose={() => setNotice(null)}>
            {notice.text}
          </Alert>
        ) : undefined}
      </Snackbar>
    </Stack>
  );
}
