// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ModelsPage } from './ModelsPage';
import type { Model, ModelDetail } from './models.api';
import { fakeApi, renderAt, sessionWith } from './test-support';

const MODEL_ID = '00000000-0000-4000-8000-000000000001';

const model = (overrides: Partial<Model> = {}): Model => ({
  id: MODEL_ID,
  name: 'Trees',
  version: 2,
  modelType: 'composite',
  algorithm: 'gbdt',
  status: 'ready',
  isActive: false,
  error: null,
  label: { converted: ['converted'], lost: ['lost'] },
  windowDays: 365,
  rocAuc: 0.74,
  trainingJobId: null,
  parentId: null,
  previousModelId: null,
  createdBy: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  trainedAt: '2026-01-01T00:01:00.000Z',
  activatedAt: null,
  activatedBy: null,
  retiredAt: null,
  challengerSince: null,
  ...overrides,
});

const belowGate: ModelDetail = {
  ...model(),
  gate: { metric: 'rocAuc', value: 0.74, threshold: 0.8, passed: false },
};

const manager = sessionWith('manager', ['models:read', 'models:manage']);
const admin = sessionWith('admin', ['models:read', 'models:manage', 'models:override_gate']);
const analyst = sessionWith('analyst', ['models:read']);

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

async function openActivation() {
  fireEvent.click(await screen.findByRole('button', { name: 'Actions for Trees version 2' }));
  fireEvent.click(await screen.findByRole('menuitem', { name: 'Activate…' }));
  return screen.findByRole('dialog', { name: 'Activate Trees (version 2)' });
}

describe('the models list', () => {
  it('lists each version with its status and ROC AUC, a training one with a progress bar', async () => {
    fakeApi({
      'GET /scoring/models': {
        body: {
          data: [
            model({
              id: `${MODEL_ID.slice(0, -1)}3`,
              version: 3,
              status: 'training',
              rocAuc: null,
            }),
            model(),
          ],
          nextCursor: null,
        },
      },
    });
    renderAt(<ModelsPage />, analyst);
    const table = await screen.findByRole('table', { name: 'Model versions' });
    const rows = within(table).getAllByRole('row');
    expect(within(rows[1] as HTMLElement).getByText('training')).toBeTruthy();
    expect(within(rows[1] as HTMLElement).getByLabelText('Training version 3')).toBeTruthy();
    expect(within(rows[2] as HTMLElement).getByText('0.740')).toBeTruthy();
    // An analyst reads; training and the changes are for those who manage models.
    expect(screen.queryByRole('button', { name: 'Train a model' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Actions for Trees version 2' }));
    const menu = await screen.findByRole('menu');
    expect(
      within(menu)
        .getAllByRole('menuitem')
        .map((item) => item.textContent),
    ).toEqual(['Performance']);
  });

  it('says so when there is no model yet', async () => {
    fakeApi({ 'GET /scoring/models': { body: { data: [], nextCursor: null } } });
    renderAt(<ModelsPage />, manager);
    expect(await screen.findByText(/No models yet/)).toBeTruthy();
  });
});

describe('the train dialog', () => {
  it('sends the name, algorithm, features, outcome statuses and window asked for', async () => {
    const sent = fakeApi({
      'GET /scoring/models': { body: { data: [], nextCursor: null } },
      'POST /scoring/models': {
        status: 202,
        body: model({ version: 1, status: 'training', rocAuc: null }),
      },
    });
    renderAt(<ModelsPage />, manager);
    fireEvent.click(await screen.findByRole('button', { name: 'Train a model' }));
    const dialog = await screen.findByRole('dialog', { name: 'Train a model' });
    fireEvent.change(within(dialog).getByLabelText(/Name/), { target: { value: 'Logistic Q3' } });
    fireEvent.mouseDown(within(dialog).getByRole('combobox', { name: 'Algorithm' }));
    fireEvent.click(await screen.findByRole('option', { name: 'Logistic regression' }));
    const converted = within(dialog).getByRole('group', { name: 'Counts as converted' });
    fireEvent.click(within(converted).getByLabelText('qualified'));
    const lost = within(dialog).getByRole('group', { name: 'Counts as lost' });
    fireEvent.click(within(lost).getByLabelText('contacted'));
    fireEvent.change(within(dialog).getByLabelText(/Learn from leads decided/), {
      target: { value: '180' },
    });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Start training' }));

    await waitFor(() => expect(sent.some((r) => r.method === 'POST')).toBe(true));
    expect(sent.find((r) => r.method === 'POST')?.body).toEqual({
      name: 'Logistic Q3',
      algorithm: 'logistic',
      modelType: 'composite',
      label: { converted: ['qualified', 'converted'], lost: ['contacted', 'lost'] },
      windowDays: 180,
    });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(await screen.findByText('Trees (version 1) is training.')).toBeTruthy();
  });

  it('refuses a status counted as both converted and lost, and shows the API’s refusal', async () => {
    const sent = fakeApi({
      'GET /scoring/models': { body: { data: [], nextCursor: null } },
      'POST /scoring/models': {
        status: 422,
        body: { title: 'Not enough decided leads', detail: 'The window holds 3 converted' },
      },
    });
    renderAt(<ModelsPage />, manager);
    fireEvent.click(await screen.findByRole('button', { name: 'Train a model' }));
    const dialog = await screen.findByRole('dialog', { name: 'Train a model' });
    fireEvent.change(within(dialog).getByLabelText(/Name/), { target: { value: 'Trees' } });
    const lost = within(dialog).getByRole('group', { name: 'Counts as lost' });
    fireEvent.click(within(lost).getByLabelText('converted'));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Start training' }));
    expect(
      await within(dialog).findByText('A status cannot count as both converted and lost'),
    ).toBeTruthy();
    expect(sent.filter((r) => r.method === 'POST')).toEqual([]);

    fireEvent.click(within(lost).getByLabelText('converted'));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Start training' }));
    expect(await within(dialog).findByText('The window holds 3 converted')).toBeTruthy();
  });
});

describe('activating a version', () => {
  it('refuses below the gate with the reason, and offers no override without the permission', async () => {
    fakeApi({
      'GET /scoring/models': { body: { data: [model()], nextCursor: null } },
      [`GET /scoring/models/${MODEL_ID}`]: { body: belowGate },
    });
    renderAt(<ModelsPage />, manager);
    const dialog = await openActivation();
    expect(
      await within(dialog).findByText(/ROC AUC 0\.740 is not above the deployment gate of 0\.800/),
    ).toBeTruthy();
    expect(within(dialog).getByText(/Activation is refused below the gate/)).toBeTruthy();
    expect(within(dialog).queryByRole('button', { name: /Activate/ })).toBeNull();
  });

  it('lets an admin force it past the gate once confirmed, then follows the rescore', async () => {
    const rescore = {
      id: '00000000-0000-4000-8000-0000000000cc',
      modelId: MODEL_ID,
      reason: 'activation',
      status: 'running',
      total: 200,
      done: 50,
      failed: 0,
      error: null,
      createdAt: '2026-01-01T00:02:00.000Z',
      startedAt: '2026-01-01T00:02:00.000Z',
      finishedAt: null,
    };
    const sent = fakeApi({
      'GET /scoring/models': { body: { data: [model()], nextCursor: null } },
      [`GET /scoring/models/${MODEL_ID}`]: { body: belowGate },
      [`PUT /scoring/models/${MODEL_ID}/activate`]: {
        body: { ...model({ status: 'active', isActive: true }), rescore },
      },
      [`GET /scoring/rescores/${rescore.id}`]: { body: { ...rescore, done: 120 } },
    });
    renderAt(<ModelsPage />, admin);
    const dialog = await openActivation();
    const force = await within(dialog).findByRole('button', { name: 'Activate anyway' });
    expect(force.hasAttribute('disabled')).toBe(true);
    fireEvent.click(within(dialog).getByLabelText(/I have reviewed this version/));
    fireEvent.click(force);

    expect(await within(dialog).findByText('Version 2 now scores your leads.')).toBeTruthy();
    const activation = sent.find((r) => r.method === 'PUT');
    expect(activation?.url.searchParams.get('force')).toBe('true');
    expect(await within(dialog).findByText(/120 of 200 leads done/)).toBeTruthy();
  });

  it('activates a version past the gate without force', async () => {
    const sent = fakeApi({
      'GET /scoring/models': { body: { data: [model({ rocAuc: 0.86 })], nextCursor: null } },
      [`GET /scoring/models/${MODEL_ID}`]: {
        body: {
          ...belowGate,
          gate: { metric: 'rocAuc', value: 0.86, threshold: 0.8, passed: true },
        },
      },
      [`PUT /scoring/models/${MODEL_ID}/activate`]: {
        body: { ...model({ status: 'active', isActive: true }), rescore: null },
      },
    });
    renderAt(<ModelsPage />, manager);
    const dialog = await openActivation();
    expect(await within(dialog).findByText(/Passes the deployment gate/)).toBeTruthy();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Activate' }));
    expect(await within(dialog).findByText('Version 2 now scores your leads.')).toBeTruthy();
    expect(sent.find((r) => r.method === 'PUT')?.url.search).toBe('');
  });
});
