import pg from 'pg';
import type { Logger } from 'pino';

const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 10_000;

export interface PostgresListener {
  close(): Promise<void>;
}

/**
 * LISTEN on a dedicated connection (a pooled one would be handed to other queries), calling
 * `onMessage` with each notification's payload. After an error or a lost connection it
 * reconnects with backoff; notifications sent meanwhile are gone (NOTIFY is not a queue), so
 * callers treat what arrives as best effort, and may catch up in `onReconnect`. Never
 * rejects: a first connection that fails is retried in the background.
 */
export async function listenToPostgres(parts: {
  connectionString: string;
  channel: string;
  onMessage: (payload: string) => void;
  /** Called each time listening resumes after a failure: what was sent meanwhile is lost. */
  onReconnect?: () => void;
  logger: Pick<Logger, 'warn'>;
}): Promise<PostgresListener> {
  const { connectionString, channel, onMessage, logger } = parts;
  let client: pg.Client | undefined;
  let closed = false;
  let delay = RECONNECT_MIN_MS;
  let timer: NodeJS.Timeout | undefined;

  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString });
    client = next;
    let dropped = false;
    const onDrop = (error?: Error) => {
      if (dropped) return;
      dropped = true;
      if (closed) return;
      logger.warn({ err: error, channel }, 'listener lost its connection; reconnecting');
      next.end().catch(() => undefined);
      scheduleReconnect();
    };
    next.on('error', onDrop);
    next.on('end', () => onDrop());
    next.on('notification', (message) => {
      if (message.channel === channel && message.payload !== undefined) onMessage(message.payload);
    });
    await next.connect();
    await next.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    delay = RECONNECT_MIN_MS;
  };

  const scheduleReconnect = () => {
    if (closed || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      connect().then(
        () => parts.onReconnect?.(),
        (error: unknown) => {
          logger.warn({ err: error, channel }, 'listener could not reconnect');
          delay = Math.min(delay * 2, RECONNECT_MAX_MS);
          client?.end().catch(() => undefined);
          scheduleReconnect();
        },
      );
    }, delay);
    timer.unref();
  };

  try {
    await connect();
  } catch (error) {
    logger.warn({ err: error, channel }, 'listener could not connect; retrying');
    client?.end().catch(() => undefined);
    scheduleReconnect();
  }
  return {
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await client?.end().catch(() => undefined);
    },
  };
}
