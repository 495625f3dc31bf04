// @vitest-environment jsdom
import { cleanup, render, screen, within } from '@testing-library/react';
import { Provider } from 'react-redux';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Lead } from '../api/api';
import { createStore } from '../store';
import { LeadsPage } from './LeadsPage';

const lead = (n: number, score: number | null, grade: string | null): Lead => ({
  id: `00000000-0000-4000-8000-00000000000${n}`,
  email: `lead${n}@example.com`,
  firstName: `First${n}`,
  lastName: `Last${n}`,
  company: `Company ${n}`,
  jobTitle: null,
  source: 'webinar',
  status: 'qualified',
  ownerId: null,
  currentScore: score,
  currentGrade: grade,
  lastActivityAt: null,
  createdAt: '2026-01-01T00:00:00.000Z',
});

/** GET /leads answers with these responses in turn (the last one repeats). */
function answerLeads(...responses: (() => Response)[]) {
  const requested: URL[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (request: Request) => {
      requested.push(new URL(request.url));
      const respond = responses[Math.min(requested.length, responses.length) - 1];
      return (respond as () => Response)();
    }),
  );
  return requested;
}

const json = (status: number, body: unknown) => () =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function renderPage() {
  const store = createStore(null);
  render(
    <Provider store={store}>
      <LeadsPage />
    </Provider>,
  );
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('the lead list', () => {
  it('asks for the highest scores first and shows each lead with its score and grade', async () => {
    const requested = answerLeads(
      json(200, { data: [lead(1, 91, 'A1'), lead(2, null, null)], nextCursor: 'next' }),
    );
    renderPage();
    const table = await screen.findByRole('table', { name: 'Leads' });
    expect(await within(table).findByText('First1 Last1')).toBeTruthy();
    expect(within(table).getByLabelText('Score 91, grade A1').textContent).toBe('91 · A1');
    expect(within(table).getByLabelText('Not scored yet')).toBeTruthy();
    expect(requested[0]?.pathname).toBe('/leads');
    expect(requested[0]?.searchParams.get('sort')).toBe('-score');
    expect(screen.getByRole('button', { name: 'Next' }).hasAttribute('disabled')).toBe(false);
    expect(screen.getByRole('button', { name: 'Previous' }).hasAttribute('disabled')).toBe(true);
  });

  it('says so when there are no leads', async () => {
    answerLeads(json(200, { data: [], nextCursor: null }));
    renderPage();
    expect(await screen.findByText('No leads yet.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Next' }).hasAttribute('disabled')).toBe(true);
  });

  it('shows the server’s reason when the list cannot be read, and reads it again on Retry', async () => {
    answerLeads(
      json(503, { title: 'Service Unavailable', detail: 'The database is not reachable' }),
      json(200, { data: [lead(3, 42, null)], nextCursor: null }),
    );
    renderPage();
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The database is not reachable');
    within(alert).getByRole('button', { name: 'Retry' }).click();
    expect(await screen.findByText('First3 Last3')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
