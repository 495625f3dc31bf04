/**
 * The base of every error the engine throws for something a user can fix: bad data, bad
 * options, a model file of another format. Its message is the whole story (it names the
 * column, row, field or version at fault), so a CLI or API may show it as it is; anything
 * else escaping the engine is a bug.
 */
export class EngineError extends Error {
  override readonly name: string = 'EngineError';
}
