import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Presets, SingleBar } from 'cli-progress';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { Kysely } from 'kysely';
import type { DatabaseEngine } from '../db/connection.js';
import { type DB, LEAD_STATUSES, type LeadStatus } from '../db/schema.js';
import { exportLeads } from '../modules/exports/index.js';
import { countLeadsMatching, type LeadFilters } from '../modules/leads/index.js';
import { commaList, integer } from './arguments.js';

/** A request the export command cannot serve; the message says what to do instead. */
export class ExportCommandError extends Error {
  override readonly name = 'ExportCommandError';
}

interface LeadsFlags {
  format: 'csv' | 'ndjson';
  org?: string;
  status?: string[];
  source?: string[];
  minScore?: number;
  maxScore?: number;
  createdFrom?: string;
  createdTo?: string;
  search?: string;
}

/** Opens the configured database for the time `work` runs. */
export type WithDatabase = (
  work: (db: Kysely<DB>, engine: DatabaseEngine) => Promise<void>,
) => Promise<void>;

/**
 * `leadscore export leads`: what GET /exports/leads answers, written to stdout so that
 * `> leads.csv` or a pipe takes it, with a progress bar on stderr when that is a terminal.
 */
export function exportCommand(withDatabase: WithDatabase): Command {
  const command = new Command('export').description('Write data out as CSV or NDJSON');
  command
    .command('leads')
    .description('Write an organisation’s leads to stdout, with the filters of GET /leads')
    .addOption(
      new Option('--format <format>', 'csv (RFC 4180, with a header row) or ndjson')
        .choices(['csv', 'ndjson'])
        .default('csv'),
    )
    .option('--org <slug>', 'the organisation (needed when the database holds more than one)')
    .option('--status <statuses>', `comma-separated: ${LEAD_STATUSES.join(', ')}`, statuses)
    .option('--source <sources>', 'comma-separated sources', commaList)
    .option('--min-score <n>', 'current score at least n', score)
    .option('--max-score <n>', 'current score at most n', score)
    .option('--created-from <time>', 'created at or after (ISO 8601)', timestamp)
    .option('--created-to <time>', 'created before (ISO 8601)', timestamp)
    .option('--search <text>', 'substring of name, email or company')
    .action(async (flags: LeadsFlags) => {
      await withDatabase(async (db, engine) => {
        const organization = await findOrganization(db, flags.org);
        const filters: LeadFilters = {
          status: flags.status as LeadStatus[] | undefined,
          source: flags.source,
          minScore: flags.minScore,
          maxScore: flags.maxScore,
          createdFrom: flags.createdFrom,
          createdTo: flags.createdTo,
          q: flags.search,
        };
        const bar = process.stderr.isTTY
          ? new SingleBar(
              { stream: process.stderr, format: 'leads [{bar}] {value}/{total} {eta_formatted}' },
              Presets.shades_classic,
            )
          : undefined;
        bar?.start(await countLeadsMatching(db, organization.id, filters), 0);
        const started = performance.now();
        let rows = 0;
        const file = await exportLeads(
          { db, engine },
          {
            organizationId: organization.id,
            actorType: 'system',
            actorId: null,
            userAgent: 'leadscore export leads',
          },
          { format: flags.format, filters },
          {
            onPage: (count) => {
              rows += count;
              bar?.increment(count);
            },
          },
        );
        try {
          // stdout stays open (a process cannot reopen it); backpressure from the pipe or file holds the reads back.
          await pipeline(Readable.from(file.chunks, { objectMode: false }), process.stdout, {
            end: false,
          });
        } finally {
          bar?.stop();
        }
        const seconds = (performance.now() - started) / 1000;
        process.stderr.write(
          `Exported ${rows} leads of "${organization.slug}" as ${flags.format.toUpperCase()} in ${seconds.toFixed(1)} s.\n`,
        );
      });
    });
  return command;
}

/** The organisation named, or the only one there is. */
async function findOrganization(
  db: Kysely<DB>,
  slug: string | undefined,
): Promise<{ id: string; slug: string }> {
  let query = db.selectFrom('organizations').select(['id', 'slug']).orderBy('slug').limit(20);
  if (slug !== undefined) query = query.where('slug', '=', slug);
  const found = await query.execute();
  if (found.length === 1 && found[0]) return found[0];
  if (slug !== undefined) throw new ExportCommandError(`no organisation has the slug "${slug}"`);
  if (found.length === 0) throw new ExportCommandError('the database has no organisation yet');
  throw new ExportCommandError(
    `the database holds several organisations: choose one with --org <slug> (${found.map((o) => o.slug).join(', ')}${found.length === 20 ? ', …' : ''})`,
  );
}

function statuses(value: string): string[] {
  const list = commaList(value);
  const unknown = list.filter((s) => !(LEAD_STATUSES as readonly string[]).includes(s));
  if (unknown.length > 0) {
    throw new InvalidArgumentError(`expected statuses among ${LEAD_STATUSES.join(', ')}`);
  }
  return list;
}

function score(value: string): number {
  const parsed = integer(value);
  if (parsed < 0 || parsed > 100) throw new InvalidArgumentError('expected a score from 0 to 100');
  return parsed;
}

/** An ISO 8601 date-time with its offset, as the API takes it. */
function timestamp(value: string): string {
  const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;
  if (!iso.test(value) || Number.isNaN(Date.parse(value))) {
    throw new InvalidArgumentError('expected an ISO 8601 time such as 2025-01-31T00:00:00Z');
  }
  return value;
}
