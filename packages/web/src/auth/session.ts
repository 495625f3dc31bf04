import { createSlice, type PayloadAction } from '@reduxjs/toolkit';

/** The signed-in user, as GET /auth/me and POST /auth/login describe them. */
export interface CurrentUser {
  id: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  role: 'owner' | 'admin' | 'manager' | 'analyst' | 'sales_rep' | 'viewer';
  organizationId: string;
  organizationName: string;
  permissions: string[];
}

/** What POST /auth/login and /auth/refresh answer. */
export interface Session {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  user: CurrentUser;
}

const STORAGE_KEY = 'leadscore.session';

/**
 * The session survives a reload in localStorage, as a "stay signed in" would: the refresh token
 * is single-use and rotated on every refresh, and logging out revokes it on the server.
 */
export function loadStoredSession(storage: Storage = localStorage): Session | null {
  try {
    const stored = storage.getItem(STORAGE_KEY);
    return stored ? (JSON.parse(stored) as Session) : null;
  } catch {
    return null;
  }
}

export function storeSession(session: Session | null, storage: Storage = localStorage): void {
  if (session) storage.setItem(STORAGE_KEY, JSON.stringify(session));
  else storage.removeItem(STORAGE_KEY);
}

export const sessionSlice = createSlice({
  name: 'session',
  initialState: { current: null as Session | null },
  reducers: {
    signedIn: (state, action: PayloadAction<Session>) => {
      state.current = action.payload;
    },
    signedOut: (state) => {
      state.current = null;
    },
  },
});

export const { signedIn, signedOut } = sessionSlice.actions;
