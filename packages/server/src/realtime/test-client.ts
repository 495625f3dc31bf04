import { io as connect, type Socket } from 'socket.io-client';
import type { DomainEventName } from '../events/event-bus.js';

// Test support: a socket.io client of the real-time API that records what it hears.

export type Payload = Record<string, unknown>;

export interface TestClient {
  readonly socket: Socket;
  /** Every event received, in order. */
  readonly received: { event: DomainEventName; payload: Payload }[];
  /** The first event received (already or within the timeout) that matches. */
  next(event: DomainEventName, matches?: (payload: Payload) => boolean): Promise<Payload>;
}

/** Connects without reconnection (a refused handshake stays refused) and records every event. */
export function connectClient(url: string, token: unknown, transports?: ['websocket']) {
  const socket = connect(url, {
    auth: { token },
    reconnection: false,
    forceNew: true,
    ...(transports && { transports }),
  });
  const received: TestClient['received'] = [];
  const waiters = new Set<() => void>();
  socket.onAny((event: DomainEventName, payload: Payload) => {
    received.push({ event, payload });
    for (const wake of waiters) wake();
  });
  const client: TestClient = {
    socket,
    received,
    next: (event, matches = () => true) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no ${event} within 3 s; received ${JSON.stringify(received)}`));
        }, 3000);
        function check() {
          const found = received.find((r) => r.event === event && matches(r.payload));
          if (!found) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(found.payload);
        }
        waiters.add(check);
        check();
      }),
  };
  return new Promise<TestClient>((resolve, reject) => {
    socket.once('connect', () => resolve(client));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}
