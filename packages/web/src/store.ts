import { configureStore } from '@reduxjs/toolkit';
import { alertsSlice } from './alerts/alerts.slice';
import { api } from './api/api';
import { loadStoredSession, type Session, sessionSlice, storeSession } from './auth/session';

export function createStore(initialSession: Session | null = loadStoredSession()) {
  const store = configureStore({
    reducer: {
      session: sessionSlice.reducer,
      alerts: alertsSlice.reducer,
      [api.reducerPath]: api.reducer,
    },
    preloadedState: { session: { current: initialSession } },
    middleware: (defaults) => defaults().concat(api.middleware),
  });
  let stored = initialSession;
  store.subscribe(() => {
    const current = store.getState().session.current;
    if (current === stored) return;
    stored = current;
    storeSession(current);
    // Whatever the last user saw is not the next one's to see.
    if (current === null) store.dispatch(api.util.resetApiState());
  });
  return store;
}

export type AppStore = ReturnType<typeof createStore>;
export type RootState = ReturnType<AppStore['getState']>;
export type AppDispatch = AppStore['dispatch'];
