import { Chip, LinearProgress, Stack, Typography } from '@mui/material';
import type { Model, ModelStatus } from './models.api';

const COLORS: Record<ModelStatus, 'default' | 'success' | 'info' | 'error' | 'warning'> = {
  training: 'warning',
  ready: 'default',
  failed: 'error',
  active: 'success',
  retired: 'default',
  challenger: 'info',
};

/**
 * A version's status; while it trains, a progress bar (the job reports no percentage, so it
 * runs until model_training_complete arrives); when training failed, why.
 */
export function ModelStatusChip({ model }: { model: Model }) {
  return (
    <Stack spacing={0.5} sx={{ minWidth: 96 }}>
      <Chip
        size="small"
        color={COLORS[model.status]}
        variant={model.status === 'retired' ? 'outlined' : 'filled'}
        label={model.status}
        sx={{ alignSelf: 'flex-start' }}
      />
      {model.status === 'training' && (
        <LinearProgress aria-label={`Training version ${model.version}`} />
      )}
      {model.status === 'failed' && model.error && (
        <Typography variant="caption" color="error">
          {model.error}
        </Typography>
      )}
    </Stack>
  );
}
