import { EngineError } from '../errors.js';

/**
 * A calibrator that cannot be fitted (the optimiser did not converge) or restored (the JSON is
 * not a calibrator this version understands). Bad labels or log-odds throw InvalidInputError.
 */
export class CalibrationError extends EngineError {
  override readonly name: string = 'CalibrationError';
}
