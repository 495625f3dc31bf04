import { api } from '../api/api';
import { useAppDispatch } from '../hooks';
import type { OrganizationEvents } from '../realtime/events';
import { useOrganizationEvent } from '../realtime/RealtimeProvider';

/** How often the models are asked for while one trains and no event has said it finished. */
export const TRAINING_POLL_MS = 5000;

export type TrainingComplete = OrganizationEvents['model_training_complete'];

/**
 * When a version finishes training, everything cached about models is read again (its row,
 * its performance); `onComplete` may tell the user.
 */
export function useTrainingUpdates(onComplete?: (event: TrainingComplete) => void): void {
  const dispatch = useAppDispatch();
  useOrganizationEvent('model_training_complete', (event) => {
    dispatch(api.util.invalidateTags(['Model']));
    onComplete?.(event);
  });
}
