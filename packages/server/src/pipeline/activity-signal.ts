import type { Logger } from 'pino';
import { listenToPostgres, type PostgresListener } from '../db/postgres-listener.js';

/** The channel migration 0003's trigger notifies after every insert into lead_activities. */
export const ACTIVITY_CHANNEL = 'lead_activities';

/**
 * Tells a scorer worker that activities may be waiting. Best effort: a wake-up can be lost
 * (a reconnect, a notification sent while nobody listened), so the worker also polls.
 */
export interface ActivitySignal {
  /** Calls `onWake` on every notification until closed. */
  start(onWake: () => void): Promise<void>;
  close(): Promise<void>;
}

/**
 * LISTEN on a dedicated connection that reconnects by itself (db/postgres-listener.ts); a
 * reconnect wakes the worker, since notifications sent meanwhile are gone.
 */
export function postgresActivitySignal(
  connectionString: string,
  logger: Pick<Logger, 'warn'> = { warn: () => undefined },
): ActivitySignal {
  let listener: PostgresListener | undefined;
  return {
    async start(onWake) {
      // The worker still polls while the listener cannot connect.
      listener = await listenToPostgres({
        connectionString,
        channel: ACTIVITY_CHANNEL,
        onMessage: onWake,
        onReconnect: onWake,
        logger,
      });
    },
    async close() {
      await listener?.close();
    },
  };
}

/** What delivers the embedded database's notifications: `Database.listen`, or a PGlite. */
export interface NotificationSource {
  listen(channel: string, onNotify: () => void): Promise<() => Promise<void>>;
}

/**
 * The embedded database's notifications, delivered in-process by PGlite: the trigger's
 * NOTIFY wakes the worker as soon as the inserting transaction commits.
 */
export function pgliteActivitySignal(source: NotificationSource): ActivitySignal {
  let unlisten: (() => Promise<void>) | undefined;
  return {
    async start(onWake) {
      unlisten = await source.listen(ACTIVITY_CHANNEL, onWake);
    },
    async close() {
      await unlisten?.().catch(() => undefined);
    },
  };
}
