/**
 * Checks shared by the metrics, the fold splitters and the calibrators. Every message starts
 * with the public function that was called and names the argument (and row) at fault, because
 * these inputs come from user data: a label column, a model's predictions, a score column.
 */
import { EngineError } from '../errors.js';
import type { Labels } from '../matrix.js';

/** Bad data or bad options passed to an evaluation or calibration function. */
export class InvalidInputError extends EngineError {
  override readonly name: string = 'InvalidInputError';
}

/** The class counts of a label vector that has passed {@link checkLabels}. */
export interface ClassCounts {
  readonly rows: number;
  readonly positives: number;
  readonly negatives: number;
}

/** Rejects an empty label vector and any label other than 0 or 1; returns the class counts. */
export function checkLabels(where: string, labels: Labels): ClassCounts {
  if (labels.length === 0) throw new InvalidInputError(`${where}: labels is empty`);
  let positives = 0;
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i] as number;
    if (label > 1) {
      throw new InvalidInputError(`${where}: labels[${i}] is ${label}; labels must be 0 or 1`);
    }
    positives += label;
  }
  return { rows: labels.length, positives, negatives: labels.length - positives };
}

/** Rejects a label vector with only one class, saying which metric or fit needs both. */
export function checkBothClasses(where: string, counts: ClassCounts, why: string): void {
  if (counts.positives === 0 || counts.negatives === 0) {
    const only = counts.positives === 0 ? 'negatives (0)' : 'positives (1)';
    throw new InvalidInputError(
      `${where}: labels holds only ${only}, so ${why}; both classes are needed`,
    );
  }
}

/** Rejects `values` whose length differs from the labels'. */
export function checkSameLength(
  where: string,
  labels: Labels,
  values: ArrayLike<number>,
  valuesName: string,
): void {
  if (values.length !== labels.length) {
    throw new InvalidInputError(
      `${where}: ${valuesName} has ${values.length} rows but labels has ${labels.length}`,
    );
  }
}

/** Rejects NaN and ±Infinity, naming the first offending row. */
export function checkFinite(where: string, values: ArrayLike<number>, valuesName: string): void {
  for (let i = 0; i < values.length; i++) {
    const value = values[i] as number;
    if (!Number.isFinite(value)) {
      throw new InvalidInputError(`${where}: ${valuesName}[${i}] is ${value}; it must be finite`);
    }
  }
}

/** Rejects values outside [min, max] (NaN included), naming the first offending row. */
export function checkWithin(
  where: string,
  values: ArrayLike<number>,
  valuesName: string,
  min: number,
  max: number,
): void {
  for (let i = 0; i < values.length; i++) {
    const value = values[i] as number;
    if (!(value >= min && value <= max)) {
      throw new InvalidInputError(
        `${where}: ${valuesName}[${i}] is ${value}; it must be within [${min}, ${max}]`,
      );
    }
  }
}

/** The usual checks for a metric of labels against per-row values; returns the class counts. */
export function checkLabelledValues(
  where: string,
  labels: Labels,
  values: ArrayLike<number>,
  valuesName: 'scores' | 'probabilities',
): ClassCounts {
  checkSameLength(where, labels, values, valuesName);
  const counts = checkLabels(where, labels);
  if (valuesName === 'probabilities') checkWithin(where, values, valuesName, 0, 1);
  else checkFinite(where, values, valuesName);
  return counts;
}
