/**
 * The baseline: a Fastify app with no database, no plugins and no hooks, whose routes send
 * back the bytes the real server answered. What the real server costs beyond it is ours.
 */
import Fastify from 'fastify';
import type { Scenario } from './scenarios.js';

export interface BareServer {
  url: string;
  close(): Promise<void>;
}

/** `answers` pairs each scenario with the body to send, as one real answer captured it. */
export async function startBareServer(
  answers: readonly { scenario: Scenario; body: string }[],
): Promise<BareServer> {
  const app = Fastify();
  for (const { scenario, body } of answers) {
    app.route({
      method: scenario.method,
      url: scenario.route,
      // A string with a JSON content type goes out as it is, unserialised.
      handler: (_request, reply) =>
        reply.code(scenario.status).type('application/json; charset=utf-8').send(body),
    });
  }
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { url, close: () => app.close() };
}
