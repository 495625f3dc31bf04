import type { DomainEventListener } from '../events/event-bus.js';

/**
 * Carries the events published in one process to the sockets of every API process, when no
 * socket.io adapter does it already (see realtime.gateway.ts and server.ts for which process
 * uses which). Best effort, as socket.io's own delivery is: an event sent while the transport
 * is down is lost, never retried twice.
 */
export interface EventRelay {
  /** Sends one of this process's events to the other processes. Never throws. */
  readonly send: DomainEventListener;
  /** Sends what is queued, then stops. */
  close(): Promise<void>;
}
