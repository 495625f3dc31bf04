// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Session } from '../auth/session';
import { createStore } from '../store';
import { api } from './api';

const session = (n: number): Session => ({
  accessToken: `access-${n}`,
  refreshToken: `refresh-${n}`,
  expiresIn: 900,
  user: {
    id: 'u1',
    email: 'ada@example.com',
    firstName: 'Ada',
    lastName: null,
    role: 'manager',
    organizationId: 'o1',
    organizationName: 'Acme',
    permissions: [],
  },
});

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** Answers as the API does: leads for the current access token, a new pair for refresh-1. */
function fakeApi(refreshOutcome: 'renews' | 'refuses') {
  const calls: string[] = [];
  const fetchMock = vi.fn(async (input: Request) => {
    const url = new URL(input.url);
    const token = input.headers.get('authorization');
    calls.push(`${input.method} ${url.pathname} ${token ?? ''}`.trim());
    if (url.pathname === '/auth/refresh') {
      const body = (await input.json()) as { refreshToken: string };
      return refreshOutcome === 'renews' && body.refreshToken === 'refresh-1'
        ? json(200, session(2))
        : json(401, { title: 'Unauthorized', detail: 'The refresh token is no longer valid' });
    }
    return token === 'Bearer access-2'
      ? json(200, { data: [], nextCursor: null })
      : json(401, { title: 'Unauthorized', detail: 'The access token has expired' });
  });
  vi.stubGlobal('fetch', fetchMock);
  return calls;
}

afterEach(() => {
  vi.unstubAllGlobals();
  localStorage.clear();
});

describe('API calls with an expired access token', () => {
  it('trade the refresh token once for a new pair, then succeed, even when several fail together', async () => {
    const calls = fakeApi('renews');
    const store = createStore(session(1));
    const [first, second] = await Promise.all([
      store.dispatch(api.endpoints.listLeads.initiate({ limit: 10, sort: '-score' })),
      store.dispatch(api.endpoints.listLeads.initiate({ limit: 20, sort: '-score' })),
    ]);
    expect(first?.data).toEqual({ data: [], nextCursor: null });
    expect(second?.data).toEqual({ data: [], nextCursor: null });
    expect(calls.filter((call) => call.startsWith('POST /auth/refresh'))).toHaveLength(1);
    expect(store.getState().session.current?.accessToken).toBe('access-2');
    expect(JSON.parse(localStorage.getItem('leadscore.session') ?? '{}').refreshToken).toBe(
      'refresh-2',
    );
  });

  it('end the session when the refresh token is refused', async () => {
    fakeApi('refuses');
    const store = createStore(session(1));
    const result = await store.dispatch(
      api.endpoints.listLeads.initiate({ limit: 10, sort: '-score' }),
    );
    // Signing out drops every cached answer, this call's with them.
    expect(result.data).toBeUndefined();
    expect(store.getState().session.current).toBeNull();
    expect(localStorage.getItem('leadscore.session')).toBeNull();
  });
});
