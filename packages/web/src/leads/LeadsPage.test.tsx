// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { Provider } from 'react-redux';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Lead } from '../api/api';
import type { Session } from '../auth/session';
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

const member = {
  id: '00000000-0000-4000-8000-0000000000aa',
  email: 'rep@example.com',
  firstName: 'Rita',
  lastName: 'Rep',
  role: 'sales_rep',
  isActive: true,
};

/**
 * GET /leads answers with these responses in turn (the last one repeats); GET /users with one
 * member; POST /leads/bulk-update with the leads it was given. Returns the requests made.
 */
function answerLeads(...responses: (() => Response)[]) {
  const requested: Request[] = [];
  let leadLists = 0;
  vi.stubGlobal(
    'fetch',
    vi.fn(async (request: Request) => {
      requested.push(request.clone());
      const { pathname } = new URL(request.url);
      if (pathname === '/users') return json(200, { data: [member], nextCursor: null })();
      if (pathname === '/leads/bulk-update') return json(200, { data: [] })();
      leadLists += 1;
      const respond = responses[Math.min(leadLists, responses.length) - 1];
      return (respond as () => Response)();
    }),
  );
  return {
    leadLists: () => requested.map((r) => new URL(r.url)).filter((u) => u.pathname === '/leads'),
    bulkUpdates: () => requested.filter((r) => new URL(r.url).pathname === '/leads/bulk-update'),
  };
}

const json = (status: number, body: unknown) => () =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** Signed in with these permissions (none: signed out, so reading only). */
function renderPage(permissions: string[] = []) {
  const session: Session = {
    accessToken: 'token',
    refreshToken: 'refresh',
    expiresIn: 900,
    user: {
      id: member.id,
      email: member.email,
      firstName: null,
      lastName: null,
      role: 'sales_rep',
      organizationId: '00000000-0000-4000-8000-0000000000bb',
      organizationName: 'Acme',
      permissions,
    },
  };
  render(
    <Provider store={createStore(permissions.length > 0 ? session : null)}>
      <MemoryRouter>
        <LeadsPage />
      </MemoryRouter>
    </Provider>,
  );
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('the lead list', () => {
  it('asks for the highest scores first and shows each lead with its score and grade', async () => {
    const { leadLists } = answerLeads(
      json(200, { data: [lead(1, 91, 'A1'), lead(2, null, null)], nextCursor: 'next' }),
    );
    renderPage();
    const table = await screen.findByRole('table', { name: 'Leads' });
    expect(await within(table).findByText('First1 Last1')).toBeTruthy();
    expect(within(table).getByLabelText('Score 91, grade A1').textContent).toBe('91 · A1');
    expect(within(table).getByLabelText('Not scored yet')).toBeTruthy();
    expect(leadLists()[0]?.searchParams.get('sort')).toBe('-score');
    expect(within(table).getByRole('link', { name: 'First1 Last1' }).getAttribute('href')).toBe(
      `/leads/${lead(1, 91, 'A1').id}`,
    );
    // Reading only: nothing to select, nothing to export.
    expect(within(table).queryByRole('checkbox')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Export CSV' })).toBeNull();
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

  it('changes the status and owner of the selected leads in one request', async () => {
    const { bulkUpdates } = answerLeads(
      json(200, {
        data: [lead(1, 91, 'A1'), lead(2, 40, 'C2'), lead(3, 12, null)],
        nextCursor: null,
      }),
    );
    renderPage(['leads:read', 'leads:write']);
    const table = await screen.findByRole('table', { name: 'Leads' });
    await within(table).findByText('First1 Last1');
    fireEvent.click(within(table).getByRole('checkbox', { name: 'Select First1 Last1' }));
    fireEvent.click(within(table).getByRole('checkbox', { name: 'Select First3 Last3' }));
    const actions = screen.getByRole('region', { name: 'Change selected leads' });
    expect(actions.textContent).toContain('2 selected');

    fireEvent.mouseDown(within(actions).getByLabelText('Set status'));
    fireEvent.click(await screen.findByRole('option', { name: 'lost' }));
    fireEvent.mouseDown(within(actions).getByLabelText('Set owner'));
    fireEvent.click(await screen.findByRole('option', { name: 'Rita Rep' }));
    fireEvent.click(within(actions).getByRole('button', { name: 'Apply to 2' }));

    await vi.waitFor(() => expect(bulkUpdates()).toHaveLength(1));
    expect(await bulkUpdates()[0]?.json()).toEqual({
      ids: [lead(1, 0, null).id, lead(3, 0, null).id],
      changes: { status: 'lost', ownerId: member.id },
    });
    // Done: the selection is cleared and the bar goes away.
    await vi.waitFor(() =>
      expect(screen.queryByRole('region', { name: 'Change selected leads' })).toBeNull(),
    );
  });
});
