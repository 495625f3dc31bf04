/** A rules model that cannot be used: bad JSON, unknown feature, bad operator, wrong version. */
export class RulesConfigError extends Error {
  override readonly name = 'RulesConfigError';
}

/** Features handed to a rules model that were computed with another feature config. */
export class RulesInputError extends Error {
  override readonly name = 'RulesInputError';
}
