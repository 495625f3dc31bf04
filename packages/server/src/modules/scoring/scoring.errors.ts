import { defineErrors } from '../../http/errors.js';

export const ScoringErrors = defineErrors('SCORING', {
  MODEL_NOT_FOUND: {
    status: 404,
    title: 'Scoring model not found',
    description: 'No scoring model has this id in your organisation.',
  },
  NOT_ENOUGH_HISTORY: {
    status: 422,
    title: 'Not enough decided leads to train on',
    description:
      'Training needs at least 10 converted and 10 lost leads decided within the window; `converted` and `lost` say how many there are. Widen the window, count more statuses as outcomes, or wait for more leads to be decided.',
  },
  MODEL_NOT_READY: {
    status: 409,
    title: 'The model cannot score yet',
    description:
      'Only a trained model can be activated, backtested or run as a challenger: this one is still training, or its training failed (its `error` says why).',
  },
  MODEL_IS_ACTIVE: {
    status: 409,
    title: 'The model is the active one',
    description:
      'A challenger runs beside the active model; the active model cannot challenge itself. Make a ready or retired version the challenger.',
  },
  MODEL_NOT_CHALLENGER: {
    status: 409,
    title: 'The model is not the challenger',
    description:
      'Only the organisation’s challenger can be stopped; `GET /scoring/models?status=challenger` shows which one it is.',
  },
  MODEL_NOT_ACTIVE: {
    status: 409,
    title: 'The model is not the active one',
    description:
      'A rollback undoes the activation of the active model. To go back to another version, activate it.',
  },
  DEPLOYMENT_GATE_FAILED: {
    status: 422,
    title: 'The model does not pass the deployment gate',
    description:
      'Its ROC AUC (`rocAuc`) is not above the deployment gate (`threshold`). Train on more or cleaner history, or have an admin or owner activate it anyway with `?force=true`.',
  },
});
