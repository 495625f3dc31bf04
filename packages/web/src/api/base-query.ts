import {
  type BaseQueryFn,
  type FetchArgs,
  type FetchBaseQueryError,
  fetchBaseQuery,
} from '@reduxjs/toolkit/query/react';
import { type Session, signedIn, signedOut } from '../auth/session';

interface SessionState {
  session: { current: Session | null };
}

const raw = fetchBaseQuery({
  // The API is on the dashboard's own origin (the server serves both).
  baseUrl: `${window.location.origin}/`,
  prepareHeaders: (headers, { getState }) => {
    const token = (getState() as SessionState).session.current?.accessToken;
    if (token && !headers.has('authorization')) headers.set('authorization', `Bearer ${token}`);
    return headers;
  },
});

/** One refresh at a time: requests that fail together wait for the same new token. */
let refreshing: Promise<boolean> | null = null;

/**
 * Every API call: on a 401 the access token has expired, so the refresh token is traded once
 * for a new pair and the call made again; when that fails too the session is over.
 */
export const baseQuery: BaseQueryFn<string | FetchArgs, unknown, FetchBaseQueryError> = async (
  args,
  api,
  extra,
) => {
  const sessionOf = () => (api.getState() as SessionState).session.current;
  const sentWith = sessionOf()?.accessToken;
  let result = await raw(args, api, extra);
  const session = sessionOf();
  if (result.error?.status !== 401 || !session) return result;
  // Another call refreshed the session meanwhile: its new token is the one to try.
  if (session.accessToken !== sentWith) return raw(args, api, extra);
  refreshing ??= (async () => {
    const renewed = await raw(
      { url: 'auth/refresh', method: 'POST', body: { refreshToken: session.refreshToken } },
      api,
      extra,
    );
    if (renewed.data) api.dispatch(signedIn(renewed.data as Session));
    else api.dispatch(signedOut());
    return renewed.data !== undefined;
  })().finally(() => {
    refreshing = null;
  });
  if (await refreshing) result = await raw(args, api, extra);
  return result;
};

/** The problem+json detail of a failed call, or a sentence for a network failure. */
export function problemDetail(error: unknown): string {
  const problem = error as { status?: unknown; data?: { detail?: unknown; title?: unknown } };
  if (typeof problem?.data?.detail === 'string') return problem.data.detail;
  if (typeof problem?.data?.title === 'string') return problem.data.title;
  if (problem?.status === 'FETCH_ERROR')
    return 'The server cannot be reached. Check your connection.';
  return 'Something went wrong. Try again.';
}
