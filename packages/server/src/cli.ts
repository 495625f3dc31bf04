#!/usr/bin/env node
import { EngineError } from '@leadscore/engine';
import { Command } from 'commander';
import { integer, oneOf, positiveInteger } from './cli/arguments.js';
import { ExportCommandError, exportCommand } from './cli/export-command.js';
import { modelCommand } from './cli/model-command.js';
import {
  EMBEDDED_ONE_PROCESS,
  RoleError,
  type RunningWorker,
  startWorker,
} from './cli/worker-command.js';
import { type Config, ConfigError, loadConfig } from './config.js';
import { type Database, openDatabase } from './db/connection.js';
import { DirectoryLockedError } from './db/directory-lock.js';
import {
  assertCompatible,
  getMigrationStatus,
  loadMigrations,
  MigrationError,
  migrate,
} from './db/migrator.js';
import {
  createOrganizationWithOwner,
  DemoSetupError,
  seedDemoLeads,
} from './modules/demo/index.js';
import { importCommand } from './modules/imports/index.js';
import { generatePassword } from './modules/users/index.js';
import { type RunningServer, startServer } from './server.js';

/** Failures whose message is the whole story: printed without a stack trace. */
const EXPLAINED_ERRORS = [
  ConfigError,
  MigrationError,
  DirectoryLockedError,
  DemoSetupError,
  EngineError,
  RoleError,
  ExportCommandError,
];

const program = new Command('leadscore')
  .description('Leadscore: real-time lead scoring you host yourself')
  .showHelpAfterError();

program.addCommand(modelCommand());
program.addCommand(exportCommand((work) => withDatabase(loadConfig(), work)));
program.addCommand(importCommand((work) => withDatabase(loadConfig(), work)));

program
  .command('serve')
  .description('Run the API and the scorer (migrates, and sets up an empty database first)')
  .option('--no-demo', 'on an empty database, create the admin but no demo leads')
  .option(
    '--role <role>',
    'all: the API and the scorer; api: the API alone, `leadscore worker` processes score (needs DATABASE_URL)',
    oneOf(['all', 'api'] as const),
    'all',
  )
  .action(async (options: { demo: boolean; role: 'all' | 'api' }) => {
    const config = loadConfig();
    if (options.role === 'api' && !config.databaseUrl) {
      throw new RoleError(`leadscore serve --role api needs DATABASE_URL: ${EMBEDDED_ONE_PROCESS}`);
    }
    const server = await startServer(config, { demo: options.demo, role: options.role });
    printWelcome(server);
    stopOnSignals(server, config.shutdownTimeoutMs);
  });

program
  .command('worker')
  .description(
    'Run the activity scorer alone, without HTTP, against DATABASE_URL (any number of them)',
  )
  .action(async () => {
    const config = loadConfig();
    const worker = await startWorker(config);
    console.log(`Leadscore worker is scoring activities from ${worker.database}`);
    stopOnSignals(worker, config.shutdownTimeoutMs);
  });

program
  .command('migrate')
  .description('Apply pending database migrations, or show their state with --status')
  .option('--status', 'list applied and pending migrations without changing anything')
  .action(async (options: { status?: boolean }) => {
    await withDatabase(loadConfig(), async (db) => {
      const migrations = await loadMigrations();
      if (options.status) {
        const status = await getMigrationStatus(db, migrations);
        for (const m of migrations) {
          const state = status.applied.includes(m.version) ? 'applied' : 'pending';
          console.log(`${String(m.version).padStart(4, '0')}_${m.name}  ${state}`);
        }
        assertCompatible(status, migrations);
        return;
      }
      const applied = await migrate(db, migrations);
      console.log(
        applied.length === 0
          ? 'The database is up to date.'
          : `Applied ${applied.map((m) => `${String(m.version).padStart(4, '0')}_${m.name}`).join(', ')}.`,
      );
    });
  });

program
  .command('seed')
  .description(
    'Create a demo organisation with its admin and N generated leads with activity histories',
  )
  .option('--leads <n>', 'how many leads to generate', positiveInteger, 2000)
  .option('--seed <s>', 'random seed: the same seed and day give the same data', integer, 1)
  .option('--org <name>', 'organisation name (default "Demo <seed>")')
  .option('--admin-email <email>', 'admin login (default admin@demo-<seed>.example)')
  .option('--batch-size <n>', 'leads written per transaction', positiveInteger, 1000)
  .option(
    '--writers <n>',
    'batches written in parallel (PostgreSQL only; the embedded database has one connection)',
    positiveInteger,
    2,
  )
  .action(
    async (options: {
      leads: number;
      seed: number;
      org?: string;
      adminEmail?: string;
      batchSize: number;
      writers: number;
    }) => {
      await withDatabase(loadConfig(), async (db) => {
        await migrate(db, await loadMigrations());
        const name = options.org ?? `Demo ${options.seed}`;
        const ownerEmail = (
          options.adminEmail ?? `admin@demo-${options.seed}.example`
        ).toLowerCase();
        const ownerPassword = generatePassword();
        const { organizationId } = await createOrganizationWithOwner(db, {
          name,
          slug: slugify(name),
          ownerEmail,
          ownerPassword,
        });
        const started = performance.now();
        const total = await seedDemoLeads(
          db,
          organizationId,
          {
            seed: options.seed,
            leads: options.leads,
            now: new Date(),
            batchSize: options.batchSize,
          },
          (progress) => reportProgress(progress.leads, options.leads, started),
        );
        const seconds = (performance.now() - started) / 1000;
        process.stderr.write('\n');
        console.log(
          `Seeded "${name}": ${total.leads} leads and ${total.activities} activities in ${seconds.toFixed(1)} s ` +
            `(${Math.round(total.leads / seconds)} leads/s, ${Math.round((total.leads + total.activities) / seconds)} rows/s).`,
        );
        console.log(`Admin login: ${ownerEmail}  password: ${ownerPassword}`);
      });
    },
  );

async function withDatabase(
  config: Config,
  work: (db: Database['db'], engine: Database['engine']) => Promise<void>,
) {
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolMax: config.databasePoolMax,
  });
  try {
    await work(database.db, database.engine);
  } finally {
    await database.close();
  }
}

function printWelcome({ url, firstRun }: RunningServer) {
  const lines = [`Leadscore is running at ${url}  (API docs: ${url}/docs)`];
  if (firstRun) {
    lines.push(
      `First start: created the admin ${firstRun.adminEmail} and ${firstRun.demoLeads} demo leads.`,
    );
    if (firstRun.generatedPassword) {
      lines.push(`Admin password: ${firstRun.generatedPassword}  (shown once: store it now)`);
    }
  }
  console.log(lines.join('\n'));
}

function stopOnSignals(
  { close, logger }: Pick<RunningServer | RunningWorker, 'close' | 'logger'>,
  timeoutMs: number,
) {
  const stop = (signal: NodeJS.Signals) => {
    logger.info(`${signal} received: finishing in-flight work`);
    const deadline = setTimeout(() => {
      logger.error({ timeoutMs }, 'shutdown timed out; exiting with requests unfinished');
      process.exit(1);
    }, timeoutMs).unref();
    close().then(
      () => {
        clearTimeout(deadline);
        logger.info('shutdown complete');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

function reportProgress(done: number, total: number, startedMs: number) {
  if (!process.stderr.isTTY) return;
  const width = 30;
  const filled = Math.round((done / total) * width);
  const rate = Math.round(done / ((performance.now() - startedMs) / 1000));
  process.stderr.write(
    `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} leads  ${rate}/s`,
  );
}

function slugify(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 100) || 'organisation'
  );
}

program.parseAsync().catch((error: unknown) => {
  if (EXPLAINED_ERRORS.some((type) => error instanceof type)) {
    console.error(`leadscore: ${(error as Error).message}`);
  } else if (isMissingFile(error)) {
    console.error(`leadscore: no such file: ${error.path}`);
  } else {
    console.error(error);
  }
  process.exit(1);
});

function isMissingFile(error: unknown): error is NodeJS.ErrnoException & { path: string } {
  const { code, path } = error as NodeJS.ErrnoException;
  return code === 'ENOENT' && typeof path === 'string';
}
