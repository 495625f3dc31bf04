import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { Logger } from 'pino';
import { listenToPostgres, type PostgresListener } from '../db/postgres-listener.js';
import type { DB } from '../db/schema.js';
import type { DomainEventListener, DomainEventName } from '../events/event-bus.js';
import type { EventRelay } from './event-relay.js';

/** The NOTIFY channel the domain events of every process travel on. */
export const EVENTS_CHANNEL = 'leadscore_events';
/**
 * NOTIFY refuses payloads of 8000 bytes or more. A chunk is at most this many UTF-16 code
 * units, so at most 7500 bytes of UTF-8 (3 bytes a unit at worst), plus a header of ~60.
 */
const CHUNK_UNITS = 2500;
/** A message whose chunks have not all come (one was lost in a reconnect) is dropped then. */
const INCOMPLETE_AFTER_MS = 30_000;

type Envelope = [organizationId: string, event: DomainEventName, payload: unknown];

export interface PostgresEventRelay extends EventRelay {
  /**
   * Hands every event the other processes send to `deliver` (this process's own are skipped:
   * its bus delivered them already).
   */
  listen(deliver: DomainEventListener): Promise<void>;
}

/**
 * Domain events between processes through PostgreSQL's LISTEN/NOTIFY, when there is no Redis:
 * every process sends its events on one channel; API processes listen and give the others'
 * events to their own sockets.
 *
 * Events published in the same turn of the event loop travel together (a scored batch makes
 * one event per lead): they are sent as one JSON array in one statement, cut into chunks
 * under NOTIFY's size limit when large. Notifications of one transaction reach listeners
 * together and in order after it commits; the chunks carry their index anyway. The next
 * statement waits for the previous one, so events of one process keep their order.
 */
export function createPostgresEventRelay(parts: {
  db: Kysely<DB>;
  databaseUrl: string;
  logger: Pick<Logger, 'warn'>;
}): PostgresEventRelay {
  const { db, logger } = parts;
  const origin = randomUUID();
  let sequence = 0;
  let queued: Envelope[] = [];
  let sending: Promise<void> = Promise.resolve();
  let listener: PostgresListener | undefined;

  const sendQueued = async () => {
    const envelopes = queued;
    queued = [];
    const chunks = chunk(JSON.stringify(envelopes));
    const id = `${origin} ${++sequence}`;
    const messages = chunks.map((text, index) => `${id} ${index} ${chunks.length}\n${text}`);
    try {
      await sql`select pg_notify(${EVENTS_CHANNEL}, m) from unnest(${messages}::text[]) as m`.execute(
        db,
      );
    } catch (error) {
      logger.warn(
        { err: error, events: envelopes.length },
        'events could not be sent to the other processes; they are lost',
      );
    }
  };

  return {
    send(organizationId, event, payload) {
      queued.push([organizationId, event, payload]);
      if (queued.length === 1) {
        sending = sending
          .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
          .then(sendQueued);
      }
    },
    async listen(deliver) {
      const assemble = createAssembler(origin);
      listener = await listenToPostgres({
        connectionString: parts.databaseUrl,
        channel: EVENTS_CHANNEL,
        logger,
        onMessage(message) {
          try {
            const text = assemble(message);
            if (text === undefined) return;
            for (const [organizationId, event, payload] of JSON.parse(text) as Envelope[]) {
              deliver(organizationId, event, payload as never);
            }
          } catch (error) {
            // Thrown here, it would surface in the connection's socket handler and crash.
            logger.warn({ err: error }, 'an event from another process could not be delivered');
          }
        },
      });
    },
    async close() {
      await sending;
      await listener?.close();
    },
  };
}

/** Cuts text into chunks of at most CHUNK_UNITS code units, never inside a surrogate pair. */
function chunk(text: string): string[] {
  const chunks: string[] = [];
  for (let start = 0; start < text.length; ) {
    let end = Math.min(start + CHUNK_UNITS, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
    chunks.push(text.slice(start, end));
    start = end;
  }
  return chunks;
}

/**
 * Gathers the chunks of each message of other origins; returns a message's text once its
 * last chunk has come, undefined before (and for this process's own messages).
 */
function createAssembler(ownOrigin: string): (message: string) => string | undefined {
  const partial = new Map<string, { parts: string[]; received: number; since: number }>();
  return (message) => {
    const newline = message.indexOf('\n');
    const [origin, sequence, index, count] = message.slice(0, newline).split(' ');
    if (origin === ownOrigin) return undefined;
    const text = message.slice(newline + 1);
    const total = Number(count);
    if (total === 1) return text;
    const now = Date.now();
    for (const [key, entry] of partial) {
      if (now - entry.since > INCOMPLETE_AFTER_MS) partial.delete(key);
    }
    const key = `${origin} ${sequence}`;
    const entry = partial.get(key) ?? { parts: new Array<string>(total), received: 0, since: now };
    partial.set(key, entry);
    if (entry.parts[Number(index)] === undefined) entry.received += 1;
    entry.parts[Number(index)] = text;
    if (entry.received < total) return undefined;
    partial.delete(key);
    return entry.parts.join('');
  };
}
