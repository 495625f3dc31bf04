/** The real server, in-process as `leadscore serve` runs it, and a logged-in owner's token. */
import { loadConfig } from '../../src/config.js';
import { type RunningServer, startServer } from '../../src/server.js';

/**
 * On the given PostgreSQL database; `dataDir` holds only the generated signing key. `env` adds
 * settings (DASHBOARD_DIR…).
 */
export function startRealServer(
  databaseUrl: string,
  dataDir: string,
  env: Record<string, string> = {},
): Promise<RunningServer> {
  const config = loadConfig({
    ...env,
    DATABASE_URL: databaseUrl,
    PORT: '0',
    LOG_LEVEL: 'silent',
    DATA_DIR: dataDir,
    // Unused when the database already has an organisation, which the fixture makes sure of.
    ADMIN_PASSWORD: 'bench-admin-password',
    // Every request comes from 127.0.0.1; the default cap would answer 429 within a second.
    RATE_LIMIT_PER_MINUTE: '100000000',
  });
  return startServer(config, { demo: false });
}

/** An access token (valid 15 minutes) from POST /auth/login. */
export async function logIn(origin: string, email: string, password: string): Promise<string> {
  const response = await fetch(new URL('/auth/login', origin), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const body = (await response.json()) as { accessToken?: string };
  if (response.status !== 200 || !body.accessToken) {
    throw new Error(`login as ${email} answered ${response.status}: ${JSON.stringify(body)}`);
  }
  return body.accessToken;
}
