/** Bad training or scoring input: data, labels or options that a caller can fix. */
export class LogisticInputError extends Error {
  override readonly name = 'LogisticInputError';
}

/** A JSON body that is not a logistic model this version of the engine can load. */
export class LogisticFormatError extends Error {
  override readonly name = 'LogisticFormatError';
}
