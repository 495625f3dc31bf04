/** Progress and error messages; they go to stderr, so stdout holds only the report. */

let runStarted = performance.now();

/** Progress times count from here; the entry point calls it once its imports have loaded. */
export function startRunClock(): void {
  runStarted = performance.now();
}

export function progress(message: string): void {
  const elapsed = ((performance.now() - runStarted) / 1000).toFixed(0).padStart(4);
  process.stderr.write(`[${elapsed}s] ${message}\n`);
}

export function describe(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) {
    return error.errors.map(describe).join('; ');
  }
  return error instanceof Error ? error.message || error.name : String(error);
}
