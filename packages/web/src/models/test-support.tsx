/** What the component tests of the model and rules pages share: a session, a store, a fake API. */
import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { Provider } from 'react-redux';
import { MemoryRouter, Route, Routes } from 'react-router';
import { vi } from 'vitest';
import type { Permission } from '../auth/permissions';
import type { Session } from '../auth/session';
import { createStore } from '../store';

export function sessionWith(role: Session['user']['role'], permissions: Permission[]): Session {
  return {
    accessToken: 'access',
    refreshToken: 'refresh',
    expiresIn: 900,
    user: {
      id: '00000000-0000-4000-8000-0000000000aa',
      email: `${role}@example.com`,
      firstName: null,
      lastName: null,
      role,
      organizationId: '00000000-0000-4000-8000-0000000000bb',
      organizationName: 'Example',
      permissions,
    },
  };
}

export interface SentRequest {
  method: string;
  url: URL;
  body: unknown;
}

type Answer = { status?: number; body: unknown } | ((request: SentRequest) => unknown);

/**
 * Stubs fetch with answers by "METHOD /path" (a function answers 200 with what it returns); an
 * unknown route answers 404. Returns the requests sent, in order.
 */
export function fakeApi(routes: Record<string, Answer>): SentRequest[] {
  const sent: SentRequest[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (request: Request) => {
      const text = await request.text();
      const url = new URL(request.url);
      const entry: SentRequest = {
        method: request.method,
        url,
        body: text ? JSON.parse(text) : undefined,
      };
      sent.push(entry);
      const answer = routes[`${request.method} ${url.pathname}`];
      const { status, body } =
        answer === undefined
          ? { status: 404, body: { title: 'Not Found', detail: `No fake for ${url.pathname}` } }
          : typeof answer === 'function'
            ? { status: 200, body: answer(entry) }
            : { status: answer.status ?? 200, body: answer.body };
      return new Response(JSON.stringify(body), {
        status,
        headers: { 'content-type': 'application/json' },
      });
    }),
  );
  return sent;
}

/** Renders `element` at `path` (matched by `route`) for a user holding `session`. */
export function renderAt(
  element: ReactNode,
  session: Session,
  { path = '/', route = '/' }: { path?: string; route?: string } = {},
) {
  const store = createStore(session);
  return render(
    <Provider store={store}>
      <MemoryRouter initialEntries={[path]}>
        <Routes>
          <Route path={route} element={element} />
        </Routes>
      </MemoryRouter>
    </Provider>,
  );
}
