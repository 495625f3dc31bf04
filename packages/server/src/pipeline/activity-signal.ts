import pg from 'pg';
import type { Logger } from 'pino';

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

const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 10_000;

/**
 * LISTEN on a dedicated connection (a pooled one would be handed to other queries). After
 * an error or a lost connection it reconnects with backoff and wakes the worker, since
 * notifications sent meanwhile are gone.
 */
export function postgresActivitySignal(
  connectionString: string,
  logger?: Pick<Logger, 'warn'>,
): ActivitySignal {
  let client: pg.Client | undefined;
  let closed = false;
  let delay = RECONNECT_MIN_MS;
  let timer: NodeJS.Timeout | undefined;
  let wake: () => void = () => undefined;

  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString });
    client = next;
    let dropped = false;
    const onDrop = (error?: Error) => {
      if (dropped) return;
      dropped = true;
      if (closed) return;
      logger?.warn({ err: error }, 'activity listener lost its connection; reconnecting');
      next.end().catch(() => undefined);
      scheduleReconnect();
    };
    next.on('error', onDrop);
    next.on('end', () => onDrop());
    next.on('notification', (message) => {
      if (message.channel === ACTIVITY_CHANNEL) wake();
    });
    await next.connect();
    await next.query(`LISTEN ${ACTIVITY_CHANNEL}`);
    delay = RECONNECT_MIN_MS;
  };

  const scheduleReconnect = () => {
    if (closed || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      connect().then(
        () => wake(),
        (error: unknown) => {
          logger?.warn({ err: error }, 'activity listener could not reconnect');
          delay = Math.min(delay * 2, RECONNECT_MAX_MS);
          client?.end().catch(() => undefined);
          scheduleReconnect();
        },
      );
    }, delay);
    timer.unref();
  };

  return {
    async start(onWake) {
      wake = onWake;
      try {
        await connect();
      } catch (error) {
        // The worker still polls; keep trying to listen in the background.
        logger?.warn({ err: error }, 'activity listener could not connect; polling meanwhile');
        client?.end().catch(() => undefined);
        scheduleReconnect();
      }
    },
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await client?.end().catch(() => undefined);
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
