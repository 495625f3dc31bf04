/**
 * Probability calibration of a model's log-odds, fitted on held-out (or out-of-fold)
 * predictions and stored as JSON beside the model.
 */

import {
  checkBothClasses,
  checkFinite,
  checkLabels,
  checkSameLength,
  InvalidInputError,
} from '../evaluation/input-checks.js';
import type { Labels } from '../matrix.js';
import { sigmoid } from '../model.js';
import { CalibrationError } from './calibration-error.js';
import { fitIsotonic, type IsotonicPoints, interpolateIsotonic } from './isotonic.js';
import { fitPlatt, type PlattParameters } from './platt.js';

export type CalibrationMethod = 'platt' | 'isotonic';

export const CALIBRATION_FORMAT = 'leadscore-calibration';
export const CALIBRATION_FORMAT_VERSION = 1;

interface CalibratorJSONHeader {
  readonly format: typeof CALIBRATION_FORMAT;
  readonly formatVersion: typeof CALIBRATION_FORMAT_VERSION;
}

/** The stored form of a calibrator; {@link calibratorFromJSON} reads it back. */
export type CalibratorJSON =
  | (CalibratorJSONHeader & { readonly method: 'platt'; readonly a: number; readonly b: number })
  | (CalibratorJSONHeader & {
      readonly method: 'isotonic';
      /** Strictly increasing log-odds. */
      readonly x: number[];
      /** Non-decreasing probabilities in [0, 1], one per x. */
      readonly y: number[];
    });

export interface Calibrator {
  readonly method: CalibrationMethod;
  /** The calibrated probability of conversion for a model's (finite) log-odds. */
  calibrate(logOdds: number): number;
  toJSON(): CalibratorJSON;
}

/**
 * Fits a calibrator on log-odds and the labels they should predict. Use data the model was
 * not trained on: its own training rows make it look better calibrated than it is. Platt
 * scaling (two parameters) suits small sets; isotonic regression is more flexible and needs
 * more rows (scikit-learn's guide suggests isotonic above about a thousand).
 *
 * @throws InvalidInputError on a length mismatch, empty input, labels other than 0/1 or of
 *   one class only, non-finite log-odds, or an unknown method.
 * @throws CalibrationError if Platt's Newton iterations do not converge.
 * @example
 * const calibrator = fitCalibrator({ method: 'platt' }, outOfFoldLogOdds, labels);
 * calibrator.calibrate(1.2); // a probability
 * calibratorFromJSON(JSON.parse(JSON.stringify(calibrator))).calibrate(1.2); // the same one
 */
export function fitCalibrator(
  options: { readonly method: CalibrationMethod },
  logOdds: ArrayLike<number>,
  labels: Labels,
): Calibrator {
  const where = 'fitCalibrator';
  checkSameLength(where, labels, logOdds, 'logOdds');
  checkBothClasses(where, checkLabels(where, labels), 'there is nothing to calibrate against');
  checkFinite(where, logOdds, 'logOdds');
  switch (options.method) {
    case 'platt':
      return plattCalibrator(fitPlatt(logOdds, labels));
    case 'isotonic':
      return isotonicCalibrator(fitIsotonic(logOdds, labels));
    default:
      throw new InvalidInputError(
        `fitCalibrator: method must be 'platt' or 'isotonic', got ${JSON.stringify(options.method)}`,
      );
  }
}

/**
 * Restores a calibrator from {@link Calibrator.toJSON}'s output (after any JSON round-trip).
 *
 * @throws CalibrationError when `json` is not a `leadscore-calibration` document of format
 *   version 1, or its parameters are missing or invalid.
 */
export function calibratorFromJSON(json: unknown): Calibrator {
  if (typeof json !== 'object' || json === null) {
    throw new CalibrationError('calibratorFromJSON: expected an object');
  }
  const document = json as Record<string, unknown>;
  if (document.format !== CALIBRATION_FORMAT) {
    throw new CalibrationError(
      `calibratorFromJSON: format is ${JSON.stringify(document.format)}, expected '${CALIBRATION_FORMAT}'`,
    );
  }
  if (document.formatVersion !== CALIBRATION_FORMAT_VERSION) {
    throw new CalibrationError(
      `calibratorFromJSON: formatVersion ${JSON.stringify(document.formatVersion)} is not supported; this version reads ${CALIBRATION_FORMAT_VERSION}`,
    );
  }
  switch (document.method) {
    case 'platt':
      return plattCalibrator({
        a: finiteNumber(document.a, 'a'),
        b: finiteNumber(document.b, 'b'),
      });
    case 'isotonic':
      return isotonicCalibrator(isotonicPoints(document.x, document.y));
    default:
      throw new CalibrationError(
        `calibratorFromJSON: method is ${JSON.stringify(document.method)}, expected 'platt' or 'isotonic'`,
      );
  }
}

function plattCalibrator({ a, b }: PlattParameters): Calibrator {
  return {
    method: 'platt',
    calibrate: (logOdds) => sigmoid(a * checkedLogOdds(logOdds) + b),
    toJSON: () => ({ ...header(), method: 'platt', a, b }),
  };
}

function isotonicCalibrator(points: IsotonicPoints): Calibrator {
  return {
    method: 'isotonic',
    calibrate: (logOdds) => interpolateIsotonic(points, checkedLogOdds(logOdds)),
    toJSON: () => ({ ...header(), method: 'isotonic', x: [...points.x], y: [...points.y] }),
  };
}

function header(): CalibratorJSONHeader {
  return { format: CALIBRATION_FORMAT, formatVersion: CALIBRATION_FORMAT_VERSION };
}

function checkedLogOdds(logOdds: number): number {
  if (!Number.isFinite(logOdds)) {
    throw new InvalidInputError(`calibrate: logOdds is ${logOdds}; it must be finite`);
  }
  return logOdds;
}

function finiteNumber(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new CalibrationError(`calibratorFromJSON: ${field} must be a finite number`);
  }
  return value;
}

function isotonicPoints(x: unknown, y: unknown): IsotonicPoints {
  if (!Array.isArray(x) || !Array.isArray(y) || x.length === 0 || x.length !== y.length) {
    throw new CalibrationError(
      'calibratorFromJSON: x and y must be non-empty arrays of the same length',
    );
  }
  const points = {
    x: Float64Array.from(x, (value, i) => finiteNumber(value, `x[${i}]`)),
    y: Float64Array.from(y, (value, i) => finiteNumber(value, `y[${i}]`)),
  };
  for (let i = 0; i < points.x.length; i++) {
    const yi = points.y[i] as number;
    if (yi < 0 || yi > 1) {
      throw new CalibrationError(`calibratorFromJSON: y[${i}] is ${yi}, outside [0, 1]`);
    }
    if (i > 0 && !((points.x[i] as number) > (points.x[i - 1] as number))) {
      throw new CalibrationError(`calibratorFromJSON: x must be strictly increasing at x[${i}]`);
    }
    if (i > 0 && yi < (points.y[i - 1] as number)) {
      throw new CalibrationError(`calibratorFromJSON: y must be non-decreasing at y[${i}]`);
    }
  }
  return points;
}
