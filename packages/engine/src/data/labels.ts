import type { Labels } from '../matrix.js';
import { LabelError } from './data.errors.js';
import { createMissingTest, DEFAULT_NA_TOKENS } from './missing-values.js';
import { columnValues, formatNames, type RawTable } from './raw-table.js';

export interface LabelOptions {
  /** The target value that means converted (compared ignoring case and surrounding space). */
  readonly positive?: string;
  /** Values read as missing besides blank fields; default `DEFAULT_NA_TOKENS`. */
  readonly naTokens?: readonly string[];
}

/** Values taken to mean converted when the target has exactly two values and no `positive`. */
const POSITIVE_VALUES: readonly string[] = ['1', 'true', 'yes'];

/**
 * The binary outcome of every row from the `target` column: 1 = converted. Without
 * `positive`, the column must hold exactly two values, one of them 1, true or yes.
 *
 * @throws DataOptionsError when the table has no such column (the message lists them);
 *   LabelError when a row has no target value, when there are more than two values and no
 *   `positive`, or when only one class is present.
 * @example
 * const table = await readTable('visits,won\n3,Yes\n1,No\n');
 * extractLabels(table, 'won'); // Uint8Array [1, 0]
 * extractLabels(table, 'won', { positive: 'no' }); // Uint8Array [0, 1]
 */
export function extractLabels(table: RawTable, target: string, options: LabelOptions = {}): Labels {
  const values = columnValues(table, target, 'target');
  const isMissing = createMissingTest(options.naTokens ?? DEFAULT_NA_TOKENS);
  const missingRows = values.flatMap((value, i) => (isMissing(value) ? [table.firstRow + i] : []));
  if (missingRows.length > 0) {
    const others = missingRows.length - 1;
    throw new LabelError(
      `the target "${target}" is missing on row ${missingRows[0]}${others > 0 ? ` and ${others} other ${others === 1 ? 'row' : 'rows'}` : ''}; every training row needs an outcome`,
    );
  }
  const normalised = values.map(normaliseLabel);
  const positive = positiveValue(target, normalised, options.positive);
  const labels = Uint8Array.from(normalised, (value) => (value === positive ? 1 : 0));
  const positives = labels.reduce((sum, label) => sum + label, 0);
  if (positives === 0 || positives === labels.length) {
    throw new LabelError(
      `training needs both converted and not converted rows, but every row of "${target}" is ${positives === 0 ? 'not ' : ''}converted (positive value "${positive}")`,
    );
  }
  return labels;
}

function positiveValue(
  target: string,
  normalised: readonly string[],
  chosen: string | undefined,
): string {
  if (chosen !== undefined) return normaliseLabel(chosen);
  const distinct = [...new Set(normalised)];
  if (distinct.length === 1) {
    throw new LabelError(
      `training needs both converted and not converted rows, but every row of "${target}" is "${distinct[0]}"`,
    );
  }
  if (distinct.length > 2) {
    throw new LabelError(
      `the target "${target}" has ${distinct.length} values (${formatNames(distinct.slice(0, 5))}${distinct.length > 5 ? ', …' : ''}); choose the one that means converted with positive`,
    );
  }
  const positives = distinct.filter((value) => POSITIVE_VALUES.includes(value));
  if (positives.length !== 1) {
    throw new LabelError(
      `cannot tell which value of the target "${target}" means converted (${formatNames(distinct)}); choose it with positive`,
    );
  }
  return positives[0] as string;
}

function normaliseLabel(value: string): string {
  return value.trim().toLowerCase();
}
