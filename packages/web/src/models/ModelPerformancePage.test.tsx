// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ModelPerformancePage } from './ModelPerformancePage';
import type { HoldoutEvaluation, ModelDetail, Performance } from './models.api';
import { fakeApi, renderAt, sessionWith } from './test-support';

// jsdom has no canvas: the charts are stood in for; their figures, summaries and tables are real.
vi.mock('react-chartjs-2', () => ({ Bar: () => null, Scatter: () => null }));

const MODEL_ID = '00000000-0000-4000-8000-000000000001';

const deciles = Array.from({ length: 10 }, (_, i) => ({
  decile: i + 1,
  count: 10,
  positives: 10 - i,
  rate: (10 - i) / 10,
  lift: (10 - i) / 5.5,
  cumulativeGain: ((i + 1) * (21 - i)) / 110,
  cumulativeLift: 1,
}));

const holdout: HoldoutEvaluation = {
  rows: 100,
  positives: 55,
  baseRate: 0.55,
  rocAuc: 0.84,
  rocCurve: [
    { fpr: 0, tpr: 0 },
    { fpr: 0.1, tpr: 0.6 },
    { fpr: 1, tpr: 1 },
  ],
  prAuc: 0.8,
  logLoss: 0.45,
  brier: 0.15,
  calibration: [{ lower: 0, upper: 0.1, count: 10, meanPredicted: 0.05, observedRate: 0.1 }],
  lift: deciles,
  conversionByBand: [{ lower: 0, upper: 10, count: 10, converted: 1, rate: 0.1 }],
};

const detail: ModelDetail = {
  id: MODEL_ID,
  name: 'Trees',
  version: 2,
  modelType: 'composite',
  algorithm: 'gbdt',
  status: 'ready',
  isActive: false,
  error: null,
  label: null,
  windowDays: 365,
  rocAuc: 0.85,
  trainingJobId: null,
  parentId: null,
  previousModelId: null,
  createdBy: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  trainedAt: null,
  activatedAt: null,
  activatedBy: null,
  retiredAt: null,
  challengerSince: null,
  gate: { metric: 'rocAuc', value: 0.85, threshold: 0.8, passed: true },
};

const performance = (evaluation: HoldoutEvaluation): Performance => ({
  modelId: MODEL_ID,
  version: 2,
  algorithm: 'gbdt',
  status: 'ready',
  error: null,
  gate: detail.gate,
  metrics: {
    evaluatedAt: '2026-01-01T00:01:00.000Z',
    rows: 100,
    positives: 55,
    baseRate: 0.55,
    skippedLeads: 0,
    outcomesFrom: null,
    outcomesTo: null,
    rocAuc: 0.85,
    rocAucSource: 'cross_validation',
    crossValidation: {
      folds: 5,
      rocAuc: { mean: 0.85, std: 0.021 },
      prAuc: { mean: 0.8, std: 0.03 },
      logLoss: { mean: 0.45, std: 0.02 },
      brier: { mean: 0.15, std: 0.01 },
    },
    holdout: evaluation,
    featureImportance: [{ feature: 'demo_request_90d', meanAbsShap: 0.9, gain: 12 }],
    trainingMs: 900,
  },
  backtest: null,
  comparison: null,
});

const manager = sessionWith('manager', ['models:read', 'models:manage']);

function renderPage(evaluation: HoldoutEvaluation) {
  const sent = fakeApi({
    [`GET /scoring/models/${MODEL_ID}`]: { body: detail },
    [`GET /scoring/models/${MODEL_ID}/performance`]: { body: performance(evaluation) },
    [`POST /scoring/models/${MODEL_ID}/backtest`]: {
      status: 202,
      body: { status: 'queued' },
    },
  });
  renderAt(<ModelPerformancePage />, manager, {
    path: `/models/${MODEL_ID}`,
    route: '/models/:modelId',
  });
  return sent;
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('a model’s performance', () => {
  it('shows the headline metrics with the cross-validated spread, and the ROC curve', async () => {
    renderPage(holdout);
    expect(await screen.findByRole('heading', { name: 'Trees · version 2' })).toBeTruthy();
    expect(screen.getByText('mean ± std over 5 folds: 0.850 ± 0.021')).toBeTruthy();
    expect(screen.getByText(/Passes the deployment gate/)).toBeTruthy();
    expect(screen.getByRole('img', { name: /ROC curve of the model, area 0\.840/ })).toBeTruthy();
    expect(screen.getByRole('img', { name: /Calibration plot/ })).toBeTruthy();
    expect(screen.getByRole('img', { name: /strongest is demo_request_90d/ })).toBeTruthy();
    expect(screen.getByRole('table', { name: 'ROC curve: data' }).textContent).toContain('0.600');
  });

  it('says the ROC curve needs a retrain for a model stored without it', async () => {
    const { rocCurve: _, ...withoutCurve } = holdout;
    renderPage(withoutCurve);
    expect(
      await screen.findByText('ROC curve not available for this model; retrain to see it.'),
    ).toBeTruthy();
    expect(screen.queryByRole('img', { name: /ROC curve of the model/ })).toBeNull();
  });

  it('runs a backtest with the MQL threshold asked for', async () => {
    const sent = renderPage(holdout);
    expect(await screen.findByText('No backtest has been run yet.')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('MQL threshold'), { target: { value: '60' } });
    fireEvent.click(screen.getByRole('button', { name: 'Run backtest' }));
    await waitFor(() => expect(sent.some((r) => r.method === 'POST')).toBe(true));
    expect(sent.find((r) => r.method === 'POST')?.body).toEqual({ mqlThreshold: 60 });
  });
});
