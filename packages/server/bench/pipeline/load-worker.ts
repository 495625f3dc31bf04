/**
 * The client side of the pipeline benchmark, on a worker thread so that building and sending
 * requests does not run on the server's event loop: POSTs /activities/batch and listens on
 * socket.io for `lead_score_updated`, timing each lead's event from the request that carried
 * its activity. One clock (this thread's) for both ends of a lag.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { io } from 'socket.io-client';

/** Stands for the activity time in a prepared body; the client writes the time of sending. */
export const SENT_AT = '@sent-at@';

export interface LoadPlan {
  origin: string;
  token: string;
  /** The batch bodies, prepared up front (each names distinct leads); sent round-robin. */
  bodies: { json: string; leadIds: string[] }[];
  mode:
    | { kind: 'saturate'; connections: number }
    /** One request every `intervalMs`, whatever the answers take (an open loop). */
    | { kind: 'steady'; intervalMs: number };
  warmupSeconds: number;
  seconds: number;
}

export interface LoadResult {
  /** Activities in 202 answers to requests sent during the timed window. */
  accepted: number;
  requests: number;
  /** Requests answered otherwise, with their status. */
  failures: Record<string, number>;
  /** The timed window, as epoch ms (for counting what was scored in it). */
  windowStart: number;
  windowEnd: number;
  /** Request sent → that lead's next `lead_score_updated`, ms, for activities sent in the window. */
  lags: number[];
  /** Activities sent in the window whose event had not come when the run ended. */
  unmatched: number;
}

async function run(plan: LoadPlan): Promise<LoadResult> {
  const socket = io(plan.origin, {
    path: '/socket.io',
    auth: { token: plan.token },
    transports: ['websocket'],
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });

  // Lead → when the request carrying its pending activity was sent (and whether it counts).
  const pending = new Map<string, { sentAt: number; timed: boolean }>();
  const lags: number[] = [];
  socket.on('lead_score_updated', (event: { leadId: string }) => {
    const sent = pending.get(event.leadId);
    if (!sent) return;
    pending.delete(event.leadId);
    if (sent.timed) lags.push(Date.now() - sent.sentAt);
  });

  const started = Date.now();
  const windowStart = started + plan.warmupSeconds * 1000;
  const windowEnd = windowStart + plan.seconds * 1000;
  let accepted = 0;
  let requests = 0;
  const failures: Record<string, number> = {};
  let next = 0;

  const send = async () => {
    const body = plan.bodies[next++ % plan.bodies.length];
    if (!body) return;
    const sentAt = Date.now();
    const timed = sentAt >= windowStart && sentAt < windowEnd;
    // A lead already waiting keeps its older request: its next event is timed from that one.
    for (const leadId of body.leadIds) {
      if (!pending.has(leadId)) pending.set(leadId, { sentAt, timed });
    }
    const response = await fetch(new URL('/activities/batch', plan.origin), {
      method: 'POST',
      headers: { authorization: `Bearer ${plan.token}`, 'content-type': 'application/json' },
      body: body.json.replaceAll(SENT_AT, new Date(sentAt).toISOString()),
    });
    const text = await response.text();
    if (!timed) return;
    requests++;
    if (response.status === 202) {
      accepted += (JSON.parse(text) as { accepted: unknown[] }).accepted.length;
    } else {
      failures[response.status] = (failures[response.status] ?? 0) + 1;
    }
  };

  if (plan.mode.kind === 'saturate') {
    const lane = async () => {
      while (Date.now() < windowEnd) await send();
    };
    await Promise.all(Array.from({ length: plan.mode.connections }, lane));
  } else {
    const { intervalMs } = plan.mode;
    const inFlight = new Set<Promise<void>>();
    for (let tick = 0; started + tick * intervalMs < windowEnd; tick++) {
      const wait = started + tick * intervalMs - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const request = send().finally(() => inFlight.delete(request));
      inFlight.add(request);
    }
    await Promise.all(inFlight);
  }

  // Events for the last requests may still be on their way (the scorer may also be behind).
  const settleUntil = Date.now() + 5000;
  const timedPending = () => [...pending.values()].filter((p) => p.timed).length;
  while (timedPending() > 0 && Date.now() < settleUntil) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  socket.close();
  return { accepted, requests, failures, windowStart, windowEnd, lags, unmatched: timedPending() };
}

parentPort?.postMessage(await run(workerData as LoadPlan));
