/**
 * A batch of CSV rows into leads or activities: each row read through the mapping, checked
 * with the rules of the API (POST /leads, POST /activities) and written by the leads or
 * activities module, in the caller's transaction. Answers what became of each row, in order.
 */
import type { Kysely } from 'kysely';
import type { DB, ImportOnDuplicate } from '../../db/schema.js';
import { checkActivity, type ValidActivity, writeActivityBatch } from '../activities/index.js';
import { checkLead, type LeadInput, writeLeadBatch } from '../leads/index.js';
import {
  columnOf,
  type MappedColumn,
  type RowError,
  readRow,
  toLeadBody,
} from './imports.mapping.js';

export interface CsvRows {
  readonly organizationId: string;
  readonly columns: readonly MappedColumn[];
  readonly headerLength: number;
  readonly rows: readonly (readonly string[])[];
}

export type RowOutcome =
  | { readonly kind: 'inserted' | 'updated' | 'unchanged' | 'skipped' }
  | { readonly kind: 'rejected'; readonly errors: RowError[] };

interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

type Written =
  | Exclude<RowOutcome, { kind: 'rejected' }>
  | { kind: 'rejected'; errors: FieldProblem[] };

export async function writeLeadRows(
  trx: Kysely<DB>,
  batch: CsvRows,
  onDuplicate: ImportOnDuplicate,
): Promise<RowOutcome[]> {
  const { outcomes, accepted } = checkRows<LeadInput>(batch, (values) => {
    const { body, attributePatch } = toLeadBody(values);
    const checked = checkLead(body, attributePatch);
    return checked.ok ? { item: checked.lead } : { problems: checked.errors };
  });
  const leads = accepted.map(({ item }) => item);
  const written = await writeLeadBatch(trx, batch.organizationId, leads, { onDuplicate });
  return settle(batch, outcomes, accepted, written);
}

export async function writeActivityRows(
  trx: Kysely<DB>,
  batch: CsvRows,
  now: Date,
): Promise<RowOutcome[]> {
  const { outcomes, accepted } = checkRows<ValidActivity>(batch, (values) => {
    const checked = checkActivity(Object.fromEntries(values), now);
    return checked.ok ? { item: checked.activity } : { problems: checked.rejection.errors };
  });
  const activities = accepted.map(({ item }) => item);
  const written = await writeActivityBatch(trx, batch.organizationId, activities);
  // A repeated idempotency key stores nothing: the row is skipped.
  return settle(
    batch,
    outcomes,
    accepted,
    written.map((outcome) => (outcome.kind === 'duplicate' ? { kind: 'skipped' } : outcome)),
  );
}

/** Reads and checks each row: the refused ones' outcomes, and the items to write. */
function checkRows<T>(
  batch: CsvRows,
  check: (values: Map<string, unknown>) => { item: T } | { problems: FieldProblem[] },
): { outcomes: RowOutcome[]; accepted: { index: number; item: T }[] } {
  const outcomes: RowOutcome[] = [];
  const accepted: { index: number; item: T }[] = [];
  batch.rows.forEach((cells, index) => {
    const read = readRow(cells, batch.headerLength, batch.columns);
    if (!read.ok) {
      outcomes[index] = { kind: 'rejected', errors: read.errors };
      return;
    }
    const checked = check(read.values);
    if ('item' in checked) accepted.push({ index, item: checked.item });
    else outcomes[index] = rejected(batch.columns, checked.problems);
  });
  return { outcomes, accepted };
}

/** Completes the outcomes with what became of the items written. */
function settle(
  batch: CsvRows,
  outcomes: RowOutcome[],
  accepted: readonly { index: number }[],
  written: readonly Written[],
): RowOutcome[] {
  written.forEach((outcome, i) => {
    const { index } = accepted[i] as { index: number };
    outcomes[index] =
      outcome.kind === 'rejected' ? rejected(batch.columns, outcome.errors) : outcome;
  });
  return outcomes;
}

function rejected(columns: readonly MappedColumn[], problems: readonly FieldProblem[]): RowOutcome {
  return {
    kind: 'rejected',
    errors: problems.map((problem) => ({
      column: columnOf(columns, problem.field),
      field: problem.field,
      reason: problem.message,
    })),
  };
}
