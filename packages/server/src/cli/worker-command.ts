import pino, { type Logger } from 'pino';
import type { Config } from '../config.js';
import { openDatabase } from '../db/connection.js';
import { loadMigrations, migrate } from '../db/migrator.js';
import { createInProcessEventBus } from '../events/event-bus.js';
import { startScorerWorker } from '../pipeline/index.js';
import { createScoredBatchHandler } from '../realtime/index.js';

/** A role that cannot run with this configuration; the message says what to do instead. */
export class RoleError extends Error {
  override readonly name = 'RoleError';
}

/** Why a role apart from the API needs PostgreSQL: shared by `worker` and `serve --role api`. */
export const EMBEDDED_ONE_PROCESS =
  'the embedded database (DATA_DIR) is opened by one process only, so its API and scorer run ' +
  'together: use `leadscore serve`, or set DATABASE_URL to run roles apart';

export interface RunningWorker {
  readonly logger: Logger;
  /** Where it scores, for the start-up line (the URL without its password). */
  readonly database: string;
  /** Finishes the batch in flight, then releases the database. */
  close(): Promise<void>;
}

/**
 * `leadscore worker`: the activity scorer alone, no HTTP, against PostgreSQL. Any number of
 * them (and of `serve --role api` processes) may share one database: batches are claimed with
 * SKIP LOCKED and each lead is scored by one worker at a time. It migrates first, as `serve`
 * does (under the migrator's advisory lock), so start-up order does not matter.
 */
export async function startWorker(config: Config): Promise<RunningWorker> {
  const { databaseUrl } = config;
  if (!databaseUrl)
    throw new RoleError(`leadscore worker needs DATABASE_URL: ${EMBEDDED_ONE_PROCESS}`);
  const logger = pino({ level: config.logLevel });
  const database = await openDatabase({
    databaseUrl,
    dataDir: config.dataDir,
    poolMax: config.databasePoolMax,
  });
  try {
    const applied = await migrate(database.db, await loadMigrations());
    if (applied.length > 0) {
      logger.info({ migrations: applied.map((m) => m.version) }, 'database migrated');
    }
    // Alert rules are evaluated here, after each batch, as in `serve`. The events this
    // process publishes have no socket of its own to reach: API processes do not see them.
    const events = createInProcessEventBus((error, event) =>
      logger.error({ err: error, event }, 'an event listener failed'),
    );
    const scorer = await startScorerWorker({
      database,
      databaseUrl,
      logger,
      onBatch: createScoredBatchHandler({ db: database.db, events, logger }),
    });
    let closing: Promise<void> | undefined;
    return {
      logger,
      database: withoutPassword(databaseUrl),
      close() {
        closing ??= scorer.stop().then(() => database.close());
        return closing;
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}

function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'PostgreSQL';
  }
}
