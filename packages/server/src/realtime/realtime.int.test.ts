import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../config.js';
import type { Database } from '../db/connection.js';
import { createInProcessEventBus, type EventBus } from '../events/event-bus.js';
import type { App } from '../http/app.js';
import { createTokenSigner } from '../modules/auth/index.js';
import {
  createScorerWorker,
  pgliteActivitySignal,
  postgresActivitySignal,
  type ScorerWorker,
} from '../pipeline/index.js';
import { type IsolatedDatabase, openIsolatedDatabase } from '../pipeline/pipeline-test-support.js';
import { startServer } from '../server.js';
import { buildAppOver, TEST_SIGNING_KEY, testConfig } from '../test/app.js';
import {
  createEmptyPostgresDatabase,
  describeEachEngine,
  pgliteEngine,
  type TestEngine,
} from '../test/databases.js';
import { createTestOrganization, createTestUser, TEST_PASSWORD } from '../test/factories.js';
import { attachRealtime, type RealtimeGateway } from './realtime.gateway.js';
import { createAlertRecorder, createScoredBatchHandler } from './scored-batch.js';
import { connectClient, type Payload, type TestClient } from './test-client.js';

const silent = { warn: () => undefined, error: () => undefined, debug: () => undefined };
const failOnListenerError = (error: unknown) => {
  throw error;
};
const issuer = testConfig().publicUrl;
/** The connect_error of a handshake that must be refused. */
async function refusal(url: string, token: unknown): Promise<{ message: string; data: unknown }> {
  const outcome = await connectClient(url, token, ['websocket']).then(
    (client) => {
      client.socket.close();
      return null;
    },
    (error: Error & { data?: unknown }) => ({ message: error.message, data: error.data }),
  );
  if (!outcome) throw new Error('the handshake was accepted');
  return outcome;
}

describeEachEngine('real-time events', (engine) => {
  let iso: IsolatedDatabase<TestEngine>;
  let app: App;
  let gateway: RealtimeGateway;
  let worker: ScorerWorker;
  let url: string;
  const clients: TestClient[] = [];
  const orgs = { a: '', b: '' };
  const tokens = { a: '', b: '', managerA: '', ownerA: '' };

  beforeAll(async () => {
    iso = await openIsolatedDatabase({
      engine,
      pgliteSnapshot: inject('pgliteSnapshot'),
      createEmptyPostgresDatabase,
    });
    const { database } = iso;
    const events = createInProcessEventBus(failOnListenerError);
    app = await buildAppOver(database, { events });
    gateway = await attachRealtime(app.server, {
      db: database.db,
      signer: createTokenSigner({ key: TEST_SIGNING_KEY, issuer }),
      events,
      corsOrigins: [],
      logger: silent,
    });
    url = await app.listen({ port: 0, host: '127.0.0.1' });
    // As startServer wires it: alerts stored with each batch, events after its commit.
    worker = createScorerWorker({
      database,
      logger: silent,
      signal: iso.pglite
        ? pgliteActivitySignal(iso.pglite)
        : postgresActivitySignal(iso.url ?? '', silent),
      recordAlerts: createAlertRecorder(),
      onBatch: createScoredBatchHandler({ db: database.db, events, logger: silent }),
    });
    await worker.start();

    ({ organizationId: orgs.a } = await createTestOrganization(database.db));
    ({ organizationId: orgs.b } = await createTestOrganization(database.db));
    tokens.a = await login(database, orgs.a, 'sales_rep');
    tokens.b = await login(database, orgs.b, 'sales_rep');
    tokens.managerA = await login(database, orgs.a, 'manager');
    tokens.ownerA = await login(database, orgs.a, 'owner');
  });
  afterAll(async () => {
    for (const client of clients) client.socket.close();
    await gateway?.close();
    await worker?.stop();
    // The app's own close leaves the database to iso, which owns (and drops) it.
    await app?.close();
    await iso?.close();
  });

  async function login(
    database: Database,
    organizationId: string,
    role: 'sales_rep' | 'manager' | 'owner',
  ) {
    const user = await createTestUser(database.db, organizationId, role);
    const response = await app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { email: user.email, password: TEST_PASSWORD },
    });
    return response.json().accessToken as string;
  }

  const call = (method: 'GET' | 'POST', path: string, token: string, payload?: object) =>
    app.inject({
      method,
      url: path,
      headers: { authorization: `Bearer ${token}` },
      ...(payload && { payload }),
    });

  async function client(token: string, transports?: ['websocket']) {
    const connected = await connectClient(url, token, transports ?? ['websocket']);
    clients.push(connected);
    return connected;
  }

  async function createLead(token: string): Promise<string> {
    const created = await call('POST', '/leads', token, {
      email: `lead-${randomBytes(5).toString('hex')}@acme.example`,
      jobTitle: 'VP Marketing',
      companySize: 300,
      country: 'US',
    });
    expect(created.statusCode).toBe(201);
    return created.json().id;
  }

  async function postActivities(token: string, leadId: string, types: string[]) {
    const posted = await call('POST', '/activities/batch', token, {
      activities: types.map((type) => ({
        leadId,
        type,
        timestamp: new Date(Date.now() - 60_000).toISOString(),
      })),
    });
    expect(posted.statusCode).toBe(202);
    expect(posted.json().rejected).toEqual([]);
    return (posted.json().accepted as { id: string }[]).map((a) => a.id);
  }

  const aboutLead = (leadId: string) => (payload: Payload) => payload.leadId === leadId;

  it("delivers a lead's new activities and new score to its organisation's sockets only", async () => {
    // Default transports: long polling through the API's HTTP server, then the upgrade.
    const a = await connectClient(url, tokens.a);
    clients.push(a);
    const b = await client(tokens.b);

    const leadA = await createLead(tokens.a);
    const activityIds = await postActivities(tokens.a, leadA, ['pricing_view', 'demo_request']);
    const scored = await a.next('lead_score_updated', aboutLead(leadA));
    const lead = await app.inject({
      url: `/leads/${leadA}`,
      headers: { authorization: `Bearer ${tokens.a}` },
    });
    expect(scored).toMatchObject({
      leadId: leadA,
      score: lead.json().currentScore,
      previousScore: null,
      breakdown: expect.objectContaining({ grade: expect.stringMatching(/^[A-D][1-4]$/) }),
      calculatedAt: expect.any(String),
    });
    const announced = a.received.filter((r) => r.event === 'new_lead_activity');
    expect(announced.map((r) => r.payload)).toEqual(
      activityIds.map((activityId, i) => ({
        leadId: leadA,
        activityId,
        type: ['pricing_view', 'demo_request'][i],
        timestamp: expect.any(String),
      })),
    );

    // B hears its own lead, and never A's; A never hears B's.
    const leadB = await createLead(tokens.b);
    await postActivities(tokens.b, leadB, ['email_open']);
    await b.next('lead_score_updated', aboutLead(leadB));
    expect(b.received.every((r) => r.payload.leadId === leadB)).toBe(true);
    expect(a.received.some((r) => r.payload.leadId === leadB)).toBe(false);
  });

  it('refuses a handshake without a valid access token, saying why', async () => {
    const expired = await createTokenSigner({
      key: TEST_SIGNING_KEY,
      issuer,
      now: () => new Date(Date.now() - 16 * 60_000),
    }).issue({ userId: crypto.randomUUID(), organizationId: orgs.a });
    const foreign = await createTokenSigner({
      key: 'another-signing-key-that-is-long-enough-for-hs256',
      issuer,
    }).issue({ userId: crypto.randomUUID(), organizationId: orgs.a });
    const unauthenticated = { code: 'AUTH_UNAUTHENTICATED', status: 401 };

    expect(await refusal(url, undefined)).toEqual({
      message: expect.stringContaining('auth: {token'),
      data: unauthenticated,
    });
    for (const token of ['not-a-token', expired, foreign]) {
      expect(await refusal(url, token)).toEqual({
        message: 'The access token is not valid or has expired: refresh it and reconnect',
        data: unauthenticated,
      });
    }
  });

  it('ends a socket when its access token expires', async () => {
    const user = await createTestUser(iso.database.db, orgs.a, 'viewer');
    // Issued long ago: it expires within two seconds.
    const expiring = await createTokenSigner({
      key: TEST_SIGNING_KEY,
      issuer,
      now: () => new Date(Date.now() - (15 * 60 - 2) * 1000),
    }).issue({ userId: user.id, organizationId: orgs.a });
    const listener = await client(expiring);
    const reason = await new Promise((resolve) => listener.socket.once('disconnect', resolve));
    expect(reason).toBe('io server disconnect');
  });

  it('lets an API key with leads:read listen, and refuses one without it', async () => {
    const createKey = async (scopes: string[]) => {
      const response = await call('POST', '/api-keys', tokens.ownerA, { name: 'socket', scopes });
      expect(response.statusCode).toBe(201);
      return response.json().key as string;
    };
    const reader = await client(await createKey(['leads:read']));
    const leadId = await createLead(tokens.a);
    await postActivities(tokens.a, leadId, ['email_open']);
    await reader.next('lead_score_updated', aboutLead(leadId));

    expect(await refusal(url, await createKey(['activities:write']))).toEqual({
      message: 'Real-time events need the leads:read scope, which the API key lacks',
      data: { code: 'AUTH_FORBIDDEN', status: 403 },
    });
    expect((await refusal(url, 'lsk_AAAAAAAA_not-a-real-secret')).data).toEqual({
      code: 'AUTH_UNAUTHENTICATED',
      status: 401,
    });
  });

  it('fires an alert rule once when a score crosses its line, on the socket and in GET /alerts', async () => {
    const rule = await call('POST', '/alert-rules', tokens.managerA, {
      name: 'Any engagement',
      kind: 'score_above',
      threshold: 1,
    });
    expect(rule.statusCode).toBe(201);
    const ruleId = rule.json().id;
    const socket = await client(tokens.a);
    const fromRule = (leadId: string) => (p: Payload) =>
      p.leadId === leadId && p.alertRuleId === ruleId;

    // First score: from nothing to above the line, a crossing.
    const leadId = await createLead(tokens.a);
    await postActivities(tokens.a, leadId, ['demo_request']);
    const alert = await socket.next('alert_triggered', fromRule(leadId));
    expect(alert).toMatchObject({ previousScore: null, score: expect.any(Number) });
    expect(alert.message).toContain('rule "Any engagement"');

    // A second score, still above the line: no alert. Another lead scored in a later batch
    // proves the first batch's rules were evaluated (the worker awaits them in order).
    await postActivities(tokens.a, leadId, ['email_open']);
    await socket.next('lead_score_updated', (p) => p.leadId === leadId && p.previousScore !== null);
    const sentinel = await createLead(tokens.a);
    await postActivities(tokens.a, sentinel, ['email_open']);
    await socket.next('alert_triggered', fromRule(sentinel));

    const alertsOfLead = socket.received.filter(
      (r) => r.event === 'alert_triggered' && r.payload.leadId === leadId,
    );
    expect(alertsOfLead).toHaveLength(1);
    const listed = await call('GET', '/alerts', tokens.a);
    expect(listed.statusCode).toBe(200);
    const stored = (listed.json().data as Payload[]).filter((a) => a.leadId === leadId);
    expect(stored).toEqual([
      expect.objectContaining({
        alertRuleId: ruleId,
        kind: 'score_above',
        message: alert.message,
        score: alert.score,
        previousScore: null,
      }),
    ]);
  });
});

const redisUrl = inject('redisUrl');
describe.skipIf(!redisUrl)(
  `real-time events across API processes through Redis${redisUrl ? '' : ` (skipped: ${inject('redisSkipReason')})`}`,
  () => {
    interface Process {
      http: HttpServer;
      events: EventBus;
      redis: Redis;
      gateway: RealtimeGateway;
      url: string;
    }
    let database: Database;
    const processes: Process[] = [];
    const signer = createTokenSigner({ key: TEST_SIGNING_KEY, issuer });

    async function startProcess(): Promise<Process> {
      const http = createServer();
      const events = createInProcessEventBus(failOnListenerError);
      const redis = new Redis(redisUrl ?? '', { maxRetriesPerRequest: 1 });
      const gateway = await attachRealtime(http, {
        db: database.db,
        signer,
        events,
        corsOrigins: [],
        redis,
        logger: silent,
      });
      await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
      const { port } = http.address() as AddressInfo;
      const started = { http, events, redis, gateway, url: `http://127.0.0.1:${port}` };
      processes.push(started);
      return started;
    }

    async function tokenOf(organizationId: string) {
      const user = await createTestUser(database.db, organizationId, 'viewer');
      return signer.issue({ userId: user.id, organizationId });
    }

    beforeAll(async () => {
      database = await pgliteEngine.open();
    });
    afterAll(async () => {
      for (const p of processes) {
        await p.gateway.close();
        await p.redis.quit();
        await new Promise((resolve) => p.http.close(resolve));
      }
      await database?.close();
    });

    it('delivers an event published on one process to its organisation on another, once', async () => {
      const one = await startProcess();
      const two = await startProcess();
      const { organizationId } = await createTestOrganization(database.db);
      const { organizationId: other } = await createTestOrganization(database.db);
      const listener = await connectClient(one.url, await tokenOf(organizationId), ['websocket']);
      const outsider = await connectClient(one.url, await tokenOf(other), ['websocket']);
      try {
        const payload = {
          leadId: crypto.randomUUID(),
          score: 81,
          previousScore: 40,
          modelId: null,
          breakdown: { grade: 'A1' },
          calculatedAt: new Date().toISOString(),
        };
        two.events.publish(organizationId, 'lead_score_updated', payload);
        expect(await listener.next('lead_score_updated')).toEqual(payload);

        // A later event published on the listener's own process: the earlier one came once.
        one.events.publish(organizationId, 'model_training_complete', {
          modelId: crypto.randomUUID(),
          status: 'succeeded',
        });
        await listener.next('model_training_complete');
        expect(listener.received.map((r) => r.event)).toEqual([
          'lead_score_updated',
          'model_training_complete',
        ]);
        expect(outsider.received).toEqual([]);
      } finally {
        listener.socket.close();
        outsider.socket.close();
      }
    });
  },
);

const postgresUrl = inject('postgresUrl');
describe.skipIf(!postgresUrl)(
  `leadscore serve's real-time wiring${postgresUrl ? '' : ` (skipped: ${inject('postgresSkipReason')})`}`,
  () => {
    it('scores a posted activity onto the socket, and shuts down with the socket still open', async () => {
      const empty = await createEmptyPostgresDatabase();
      const server = await startServer(
        loadConfig({
          LOG_LEVEL: 'silent',
          PORT: '0',
          DATABASE_URL: empty.url,
          DATA_DIR: await mkdtemp(path.join(tmpdir(), 'leadscore-realtime-')),
          ADMIN_PASSWORD: 'a long enough admin password',
          ...(redisUrl && { REDIS_URL: redisUrl }),
        }),
        { demo: false },
      );
      let listener: TestClient | undefined;
      try {
        const json = { 'content-type': 'application/json' };
        const login = await fetch(`${server.url}/auth/login`, {
          method: 'POST',
          headers: json,
          body: JSON.stringify({
            email: 'admin@example.com',
            password: 'a long enough admin password',
          }),
        });
        const { accessToken } = (await login.json()) as { accessToken: string };
        const authorized = { ...json, authorization: `Bearer ${accessToken}` };
        listener = await connectClient(server.url, accessToken);
        const activity = await fetch(`${server.url}/activities`, {
          method: 'POST',
          headers: authorized,
          body: JSON.stringify({
            leadEmail: 'new.lead@acme.example',
            createLead: true,
            type: 'demo_request',
            timestamp: new Date().toISOString(),
          }),
        });
        expect(activity.status).toBe(202);
        const { leadId } = (await activity.json()) as { leadId: string };
        expect(await listener.next('lead_score_updated')).toMatchObject({ leadId });

        const disconnected = new Promise((resolve) => listener?.socket.once('disconnect', resolve));
        const started = Date.now();
        await server.close();
        await disconnected;
        expect(Date.now() - started).toBeLessThan(2000);
      } finally {
        listener?.socket.close();
        await server.close();
        await empty.drop();
      }
    });
  },
);
