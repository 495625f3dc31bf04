import { EngineError } from '../errors.js';

/** A rules model that cannot be used: bad JSON, unknown feature, bad operator, wrong version. */
export class RulesConfigError extends EngineError {
  override readonly name: string = 'RulesConfigError';
}

/** Features handed to a rules model that were computed with another feature config. */
export class RulesInputError extends EngineError {
  override readonly name: string = 'RulesInputError';
}
