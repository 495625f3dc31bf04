import { createSlice, type PayloadAction } from '@reduxjs/toolkit';
import { signedOut } from '../auth/session';
import type { OrganizationEvents } from '../realtime/events';

export type ArrivedAlert = OrganizationEvents['alert_triggered'] & { key: number };

/**
 * Alerts that arrived live during this session: how many the user has not looked at yet (the
 * bell's badge) and the ones still to be shown as a toast, oldest first.
 */
const initialState = { unseen: 0, toasts: [] as ArrivedAlert[], arrived: 0 };

export const alertsSlice = createSlice({
  name: 'alerts',
  initialState,
  reducers: {
    alertArrived: (state, action: PayloadAction<OrganizationEvents['alert_triggered']>) => {
      state.arrived += 1;
      state.unseen += 1;
      state.toasts.push({ ...action.payload, key: state.arrived });
    },
    toastDismissed: (state) => {
      state.toasts.shift();
    },
    alertsSeen: (state) => {
      state.unseen = 0;
    },
  },
  // The next user of this browser starts with no one else's alerts.
  extraReducers: (builder) => builder.addCase(signedOut, () => initialState),
});

export const { alertArrived, toastDismissed, alertsSeen } = alertsSlice.actions;
