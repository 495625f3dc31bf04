// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { Provider } from 'react-redux';
import { MemoryRouter, Route, Routes } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Session } from '../auth/session';
import { createStore } from '../store';
import type { Member } from '../users/users.api';
import { LeadDetailPage } from './LeadDetailPage';
import type { LeadActivity, LeadProfile, LeadScore, ScoreHistoryEntry } from './lead-detail.api';

// jsdom has no canvas: the charts' accessible summaries (role="img") are what is checked here.
vi.mock('react-chartjs-2', () => ({ Bar: () => null, Line: () => null }));

const LEAD_ID = '00000000-0000-4000-8000-000000000001';
const OWNER_ID = '00000000-0000-4000-8000-0000000000aa';

const lead: LeadProfile = {
  id: LEAD_ID,
  email: 'ada@acme.example',
  firstName: 'Ada',
  lastName: 'Lovelace',
  company: 'Acme',
  jobTitle: 'VP of Marketing',
  source: 'webinar',
  status: 'contacted',
  ownerId: OWNER_ID,
  currentScore: 58,
  currentGrade: 'A2',
  lastActivityAt: '2026-03-02T10:00:00.000Z',
  createdAt: '2026-01-01T00:00:00.000Z',
  phone: null,
  website: null,
  country: 'US',
  industry: 'Software',
  companySize: 250,
  maxScore: 60,
  updatedAt: '2026-03-02T10:00:00.000Z',
};

const score: LeadScore = {
  leadId: LEAD_ID,
  scored: true,
  score: 58,
  maxScore: 60,
  breakdown: {
    behavioral: 24,
    demographic: 34,
    engagement: 0,
    grade: 'A2',
    reasons: {
      positive: ['Requested a demo in the last 90 days', 'VP-level title'],
      negative: ['Unsubscribed from emails'],
    },
  },
  confidence: null,
  modelId: null,
  calculatedAt: '2026-03-02T10:00:05.000Z',
};

const history: ScoreHistoryEntry[] = [
  {
    id: '00000000-0000-4000-8000-0000000000b2',
    score: 58,
    breakdown: {},
    confidence: null,
    calculatedAt: '2026-03-02T10:00:05.000Z',
    cause: 'activity',
    model: null,
    activity: {
      id: '00000000-0000-4000-8000-0000000000c1',
      type: 'demo_request',
      timestamp: '2026-03-02T10:00:00.000Z',
    },
  },
  {
    id: '00000000-0000-4000-8000-0000000000b1',
    score: 40,
    breakdown: {},
    confidence: null,
    calculatedAt: '2026-02-01T09:00:00.000Z',
    cause: 'rescore',
    model: { id: OWNER_ID, name: 'Q1 model', version: 3, algorithm: 'gbdt' },
    activity: null,
  },
];

const activities: LeadActivity[] = [
  {
    id: '00000000-0000-4000-8000-0000000000c1',
    type: 'pricing_view',
    timestamp: '2026-03-02T10:00:00.000Z',
    data: { url: 'https://acme.example/pricing', plan: 'Enterprise' },
    processed: true,
    receivedAt: '2026-03-02T10:00:01.000Z',
  },
];

const users: Member[] = [
  {
    id: OWNER_ID,
    email: 'sam@seller.example',
    firstName: 'Sam',
    lastName: 'Seller',
    role: 'sales_rep',
    isActive: true,
  },
];

const sessionWith = (permissions: string[]): Session => ({
  accessToken: 'token',
  refreshToken: 'refresh',
  expiresIn: 900,
  user: {
    id: OWNER_ID,
    email: 'sam@seller.example',
    firstName: 'Sam',
    lastName: 'Seller',
    role: 'sales_rep',
    organizationId: '00000000-0000-4000-8000-0000000000ff',
    organizationName: 'Acme',
    permissions,
  },
});

const READ_ONLY = ['leads:read', 'activities:read', 'users:read'];
const SALES_REP = [...READ_ONLY, 'leads:write'];

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

type Answer = (request: Request) => Response | Promise<Response>;

/** The API as the page sees it: `METHOD /path` → answer; anything else is a 404. */
function answerApi(answers: Record<string, Answer>) {
  const requests: Request[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (request: Request) => {
      requests.push(request);
      const answer = answers[`${request.method} ${new URL(request.url).pathname}`];
      return answer ? answer(request) : json(404, { title: 'Not Found', detail: 'No such thing' });
    }),
  );
  return requests;
}

const theLead: Record<string, Answer> = {
  [`GET /leads/${LEAD_ID}`]: () => json(200, lead),
  [`GET /leads/${LEAD_ID}/score`]: () => json(200, score),
  [`GET /leads/${LEAD_ID}/score-history`]: () => json(200, { data: history, nextCursor: null }),
  [`GET /leads/${LEAD_ID}/activities`]: () => json(200, { data: activities, nextCursor: null }),
  'GET /users': () => json(200, { data: users, nextCursor: null }),
};

function renderPage(permissions: string[], leadId = LEAD_ID) {
  render(
    <Provider store={createStore(sessionWith(permissions))}>
      <MemoryRouter initialEntries={[`/leads/${leadId}`]}>
        <Routes>
          <Route path="/leads/:leadId" element={<LeadDetailPage />} />
        </Routes>
      </MemoryRouter>
    </Provider>,
  );
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('the lead page', () => {
  it('shows that it is loading until the lead arrives', async () => {
    answerApi({ [`GET /leads/${LEAD_ID}`]: () => new Promise<Response>(() => {}) });
    renderPage(SALES_REP);
    expect(await screen.findByRole('progressbar', { name: 'Loading lead' })).toBeTruthy();
    expect(screen.queryByRole('heading', { level: 1 })).toBeNull();
  });

  it('shows who the lead is, the score with how it adds up and why, its history and activity', async () => {
    answerApi(theLead);
    renderPage(SALES_REP);
    expect(await screen.findByRole('heading', { level: 1, name: 'Ada Lovelace' })).toBeTruthy();
    expect(screen.getByText('Acme')).toBeTruthy();
    expect(screen.getByText('VP of Marketing')).toBeTruthy();

    const gauge = await screen.findByRole('progressbar', { name: 'Lead score' });
    expect(gauge.getAttribute('aria-valuenow')).toBe('58');
    expect(screen.getByLabelText('Grade A2')).toBeTruthy();
    const breakdown = screen.getByRole('table', { name: 'Score breakdown' });
    const rows = within(breakdown)
      .getAllByRole('row')
      .map((row) => row.textContent);
    expect(rows).toEqual([
      'Baseline0',
      'Behavioural+24',
      'Demographic+34',
      'Engagement0',
      'Score58',
    ]);
    expect(
      screen.getByRole('img', { name: /Score 58: baseline 0, behavioural \+24/ }),
    ).toBeTruthy();
    const reasons = within(screen.getByRole('list', { name: 'Top reasons' }));
    expect(reasons.getByText('Requested a demo in the last 90 days')).toBeTruthy();
    expect(reasons.getByText('Unsubscribed from emails')).toBeTruthy();

    const changes = await screen.findByRole('table', { name: 'Score changes' });
    const [newest, older] = within(changes).getAllByRole('row').slice(1);
    expect(newest?.textContent).toContain('58 (+18)');
    expect(newest?.textContent).toContain('Requested a demo');
    expect(newest?.textContent).toContain('Default rules');
    expect(older?.textContent).toContain('Rescored');
    expect(older?.textContent).toContain('Q1 model v3');

    const timeline = within(await screen.findByRole('list', { name: 'Activities' }));
    expect(timeline.getByText('Viewed pricing')).toBeTruthy();
    expect(timeline.getByText('Plan: Enterprise')).toBeTruthy();
  });

  it('says the lead does not exist when the API answers 404, with the way back', async () => {
    answerApi({});
    renderPage(SALES_REP);
    expect(await screen.findByText('This lead does not exist or was deleted.')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Back to leads' }).getAttribute('href')).toBe('/leads');
  });

  it('shows status and owner read-only to a role that may not change leads', async () => {
    answerApi(theLead);
    renderPage(READ_ONLY);
    const panel = within(await screen.findByRole('region', { name: 'Status and owner' }));
    expect(await panel.findByText('Sam Seller')).toBeTruthy();
    expect(panel.getByText('contacted')).toBeTruthy();
    expect(panel.getByText('Your role can see this lead but not change it.')).toBeTruthy();
    expect(panel.queryByRole('combobox')).toBeNull();
  });

  it('changes the status for a role that may, and says it did', async () => {
    const requests = answerApi({
      ...theLead,
      [`PATCH /leads/${LEAD_ID}`]: () => json(200, { ...lead, status: 'qualified' }),
    });
    renderPage(SALES_REP);
    const panel = within(await screen.findByRole('region', { name: 'Status and owner' }));
    fireEvent.mouseDown(panel.getByRole('combobox', { name: 'Status' }));
    fireEvent.click(await screen.findByRole('option', { name: 'qualified' }));
    expect(await screen.findByText('Status set to qualified')).toBeTruthy();
    const patch = requests.find((request) => request.method === 'PATCH');
    expect(await patch?.json()).toEqual({ status: 'qualified' });
  });

  it('shows the server’s reason when a change is refused', async () => {
    answerApi({
      ...theLead,
      [`PATCH /leads/${LEAD_ID}`]: () =>
        json(400, { title: 'Bad Request', detail: 'ownerId: is not an active user' }),
    });
    renderPage(SALES_REP);
    const panel = within(await screen.findByRole('region', { name: 'Status and owner' }));
    const owner = panel.getByRole('combobox', { name: 'Owner' });
    await vi.waitFor(() => expect(owner.getAttribute('aria-disabled')).toBeNull());
    fireEvent.mouseDown(owner);
    fireEvent.click(await screen.findByRole('option', { name: 'Unassigned' }));
    expect((await screen.findByRole('alert')).textContent).toContain(
      'ownerId: is not an active user',
    );
  });
});
