/**
 * `leadscore import leads|activities FILE.csv`: the import of POST /imports/{kind}, run in this
 * process against the database (no server or worker needed), with a progress bar on a
 * terminal. The file is stored and imported as an upload is, so the import is listed by
 * GET /imports with its report. Exit code: 0 when every row was imported, 2 when some were
 * refused (listed), 1 when the import failed.
 */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Presets, SingleBar } from 'cli-progress';
import { Command, Option } from 'commander';
import type { Kysely } from 'kysely';
import type { DB, ImportKind } from '../../db/schema.js';
import { AppError } from '../../http/errors.js';
import { parseMapFlag } from './imports.options.js';
import { findOrganizationIdBySlug, listOrganizationSlugs } from './imports.repository.js';
import { runImport } from './imports.runner.js';
import { IMPORT_KINDS, type Import } from './imports.schemas.js';
import { createImport, type FormPart, getImport, listImportErrors } from './imports.service.js';

/** Opens the configured database for the work, migrated, and closes it after. */
export type WithDatabase = (work: (db: Kysely<DB>) => Promise<void>) => Promise<void>;

interface ImportFlags {
  map?: string;
  mapFile?: string;
  onDuplicate?: 'update' | 'skip';
  org?: string;
  delimiter: string;
}

/** Errors listed after the summary; the rest are at GET /imports/{id}/errors. */
const ERRORS_SHOWN = 20;

export function importCommand(withDatabase: WithDatabase): Command {
  const command = new Command('import').description(
    'Import leads or activities from a CSV file (as POST /imports/{kind} does)',
  );
  for (const kind of IMPORT_KINDS) {
    const sub = command
      .command(kind)
      .description(
        kind === 'leads'
          ? 'Import leads, deduplicated by email; the CSV of `export leads` imports as it is'
          : 'Import activities of existing leads (named by leadEmail or leadId)',
      )
      .argument('<file>', 'the CSV file, with a header row')
      .option('--map <pairs>', "Header=field pairs, e.g. 'Email=email,Company=company'")
      .option('--map-file <file>', 'the mapping as a JSON object {"Header": "field"}')
      .option('--org <slug>', 'the organisation to import into (default: the only one)')
      .option('--delimiter <char>', 'field separator', ',');
    if (kind === 'leads') {
      sub.addOption(
        new Option('--on-duplicate <mode>', 'a row whose email a lead has: update it or skip it')
          .choices(['update', 'skip'])
          .default('update'),
      );
    }
    sub.action(async (file: string, flags: ImportFlags) => {
      try {
        await withDatabase(async (db) => {
          process.exitCode = await importFile(db, kind, file, flags);
        });
      } catch (error) {
        if (!(error instanceof AppError || error instanceof ImportCommandError)) throw error;
        console.error(`leadscore: ${error.message}`);
        process.exitCode = 1;
      }
    });
  }
  return command;
}

async function importFile(
  db: Kysely<DB>,
  kind: ImportKind,
  file: string,
  flags: ImportFlags,
): Promise<number> {
  const organizationId = await organizationOf(db, flags.org);
  const created = await createImport(
    { db },
    { organizationId, actorType: 'system', actorId: null },
    kind,
    formOf(file, await formFields(flags)),
  );
  const bar = process.stderr.isTTY ? progressBar(created.fileBytes) : undefined;
  let failure: unknown;
  try {
    await runImport(
      {
        db,
        afterBatch: (progress) => {
          bar?.update(progress.bytesCommitted, { rows: progress.rowsCommitted });
        },
      },
      { organizationId, importId: created.id },
      // No retry: a failure ends the import as failed, with its reason.
      { jobId: 'cli', retryCount: 0, retryLimit: 0 },
    );
  } catch (error) {
    failure = error;
  } finally {
    bar?.stop();
  }
  const result = await getImport({ db }, organizationId, created.id);
  if (result.status !== 'succeeded' && result.status !== 'failed') throw failure;
  const errors = await listImportErrors({ db }, organizationId, created.id, {
    limit: ERRORS_SHOWN,
  });
  printSummary(file, result, errors);
  if (result.status === 'failed') {
    console.error(`leadscore: the import failed: ${result.error}`);
    return 1;
  }
  return result.failed > 0 ? 2 : 0;
}

/** A mistake in the command line, told without a stack trace. */
class ImportCommandError extends Error {}

/** The options as the form fields an upload would carry. */
async function formFields(flags: ImportFlags): Promise<[string, string][]> {
  if (flags.map !== undefined && flags.mapFile !== undefined) {
    throw new ImportCommandError('give --map or --map-file, not both');
  }
  const fields: [string, string][] = [['delimiter', flags.delimiter]];
  if (flags.onDuplicate !== undefined) fields.push(['onDuplicate', flags.onDuplicate]);
  if (flags.map !== undefined) fields.push(['mapping', JSON.stringify(parseMapFlag(flags.map))]);
  if (flags.mapFile !== undefined) fields.push(['mapping', await readFile(flags.mapFile, 'utf8')]);
  return fields;
}

async function* formOf(file: string, fields: [string, string][]): AsyncGenerator<FormPart> {
  for (const [name, value] of fields) yield { type: 'field', name, value };
  yield {
    type: 'file',
    name: 'file',
    fileName: path.basename(file),
    content: createReadStream(file),
  };
}

async function organizationOf(db: Kysely<DB>, slug: string | undefined): Promise<string> {
  if (slug !== undefined) {
    const id = await findOrganizationIdBySlug(db, slug);
    if (id) return id;
  }
  const slugs = await listOrganizationSlugs(db);
  if (slug === undefined && slugs.length === 1 && slugs[0]) return slugs[0].id;
  throw new ImportCommandError(
    `${slug === undefined ? 'give the organisation with --org <slug>' : `no organisation has the slug ${slug}`} (organisations: ${slugs.map((o) => o.slug).join(', ') || 'none'})`,
  );
}

function progressBar(totalBytes: number) {
  const bar = new SingleBar(
    {
      stream: process.stderr,
      format: 'importing [{bar}] {percentage}% | {rows} rows | {eta_formatted} left',
      hideCursor: true,
    },
    Presets.legacy,
  );
  bar.start(Math.max(totalBytes, 1), 0, { rows: 0 });
  return bar;
}

function printSummary(
  file: string,
  result: Import,
  errors: Awaited<ReturnType<typeof listImportErrors>>,
) {
  const lines = [
    `${file}: ${result.rowsCommitted} rows imported (import ${result.id}): ` +
      `${result.inserted} inserted, ${result.updated} updated, ${result.unchanged} unchanged, ` +
      `${result.skipped} skipped, ${result.failed} refused.`,
  ];
  for (const error of errors.data) {
    lines.push(
      `  row ${error.row}${error.column === null ? '' : `, column ${error.column}`}: ${error.field} ${error.reason}`,
    );
  }
  if (errors.nextCursor !== null) {
    lines.push(`  … and more: GET /imports/${result.id}/errors lists every refused row.`);
  }
  console.log(lines.join('\n'));
}
