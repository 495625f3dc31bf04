import { EngineError } from '../errors.js';

/** Bad training or scoring input: data, labels or options that a caller can fix. */
export class GbdtInputError extends EngineError {
  override readonly name = 'GbdtInputError';
}

/** A JSON body that is not a gradient-boosted model this version of the engine can load. */
export class GbdtFormatError extends EngineError {
  override readonly name = 'GbdtFormatError';
}
