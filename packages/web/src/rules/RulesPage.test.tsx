// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeApi, renderAt, sessionWith } from '../models/test-support';
import { RulesPage } from './RulesPage';
import type { RulesPreview } from './rules.api';
import type { RulesJson } from './rules-json';

const RULES: RulesJson = {
  format: 'leadscore-rules',
  formatVersion: 1,
  features: { halfLifeDays: { page_view: 7 }, defaultHalfLifeDays: 30 },
  rules: [
    {
      id: 'demo-request',
      description: 'Requested a demo',
      group: 'engagement',
      criterion: { feature: 'demo_request_90d', op: 'gte', value: 1 },
      points: 30,
    },
  ],
  caps: { fit: { min: 0, max: 100 }, engagement: { min: 0, max: 100 } },
  weights: { fit: 0.4, engagement: 0.6 },
  grades: { fit: { A: 70, B: 45, C: 20 }, engagement: { '1': 50, '2': 25, '3': 10 } },
};

const PREVIEW: RulesPreview = {
  leads: 120,
  totalLeads: 120,
  truncated: false,
  asOf: '2026-01-01T00:00:00.000Z',
  bandChanges: 14,
  movedUp: 14,
  movedDown: 0,
  gradeChanges: 9,
  meanScoreChange: 2.5,
  bands: [
    { lower: 0, upper: 50, current: 100, proposed: 90 },
    { lower: 50, upper: 100, current: 20, proposed: 30 },
  ],
  largestChanges: [],
};

const manager = sessionWith('manager', ['models:read', 'models:manage']);
const analyst = sessionWith('analyst', ['models:read']);

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const demoRule = () => screen.findByRole('group', { name: 'Rule demo-request' });

describe('the scoring rules editor', () => {
  it('previews an edit, then saves it', async () => {
    const sent = fakeApi({
      'GET /scoring/rules': { body: { model: null, active: true, rules: RULES } },
      'POST /scoring/rules/preview': { body: PREVIEW },
      'PUT /scoring/rules': ({ body }) => ({
        model: { id: '00000000-0000-4000-8000-000000000009', name: 'Scoring rules', version: 4 },
        active: true,
        rules: (body as { rules: RulesJson }).rules,
        rescore: null,
      }),
    });
    renderAt(<RulesPage />, manager);
    const rule = await demoRule();
    fireEvent.change(within(rule).getByLabelText('Points'), { target: { value: '40' } });
    const save = screen.getByRole('button', { name: 'Save rules' });
    expect(save.hasAttribute('disabled')).toBe(true);
    expect(screen.getByText('Preview your changes before saving them.')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Preview changes' }));
    expect(await screen.findByText('14 of 120 leads would change score band')).toBeTruthy();
    expect(screen.getByText(/14 up, 0 down/)).toBeTruthy();
    const previewed = sent.find((r) => r.url.pathname === '/scoring/rules/preview');
    expect(previewed?.body).toMatchObject({ rules: { rules: [{ points: 40 }] } });

    await waitFor(() => expect(save.hasAttribute('disabled')).toBe(false));
    fireEvent.click(save);
    expect(
      await screen.findByText('Saved as version 4: these rules now score your leads.'),
    ).toBeTruthy();
    const saved = sent.find((r) => r.method === 'PUT');
    expect(saved?.body).toEqual({
      rules: { ...RULES, rules: [{ ...RULES.rules[0], points: 40 }] },
    });
  });

  it('shows the API’s objection next to the field it names', async () => {
    fakeApi({
      'GET /scoring/rules': { body: { model: null, active: true, rules: RULES } },
      'POST /scoring/rules/preview': {
        status: 400,
        body: {
          title: 'Bad Request',
          detail: 'body.rules.rules[0].criterion.feature: "demo_requests" is not a lead feature',
          errors: [
            {
              in: 'body',
              field: 'rules.rules[0].criterion.feature',
              message: '"demo_requests" is not a lead feature; did you mean "demo_request_90d"?',
            },
          ],
        },
      },
    });
    renderAt(<RulesPage />, manager);
    const rule = await demoRule();
    fireEvent.change(within(rule).getByLabelText('Feature or attribute'), {
      target: { value: 'demo_requests' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Preview changes' }));
    expect(
      await within(rule).findByText(
        '"demo_requests" is not a lead feature; did you mean "demo_request_90d"?',
      ),
    ).toBeTruthy();
    expect(within(rule).getByLabelText('Feature or attribute').getAttribute('aria-invalid')).toBe(
      'true',
    );
    expect(screen.getByRole('button', { name: 'Save rules' }).hasAttribute('disabled')).toBe(true);
  });

  it('is read-only for an analyst', async () => {
    fakeApi({
      'GET /scoring/rules': { body: { model: null, active: true, rules: RULES } },
    });
    renderAt(<RulesPage />, analyst);
    const rule = await demoRule();
    expect(within(rule).getByLabelText('Points').hasAttribute('readonly')).toBe(true);
    expect(screen.queryByRole('button', { name: 'Preview changes' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Save rules' })).toBeNull();
    expect(screen.queryByRole('button', { name: /Add a/ })).toBeNull();
    expect(screen.getByText(/You can read the rules/)).toBeTruthy();
  });
});
