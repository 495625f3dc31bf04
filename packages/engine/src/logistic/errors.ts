import { EngineError } from '../errors.js';

/** Bad training or scoring input: data, labels or options that a caller can fix. */
export class LogisticInputError extends EngineError {
  override readonly name: string = 'LogisticInputError';
}

/** A JSON body that is not a logistic model this version of the engine can load. */
export class LogisticFormatError extends EngineError {
  override readonly name: string = 'LogisticFormatError';
}
