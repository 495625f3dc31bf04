/**
 * Clean-up that also runs on Ctrl-C: temp dirs and throwaway databases must not outlive the run.
 */
import { describe, progress } from './log.js';

const pendingCleanups = new Set<() => Promise<void>>();
let interrupted = false;

/** True once SIGINT or SIGTERM has arrived; a section failing after that was interrupted. */
export function wasInterrupted(): boolean {
  return interrupted;
}

/**
 * Runs `work`, then `cleanup` once, whether `work` succeeds, throws, or a signal arrives first.
 * Refuses to start once interrupted, so nothing new is registered during the clean-up.
 */
export async function withCleanup<T>(
  cleanup: () => Promise<void>,
  work: () => Promise<T>,
): Promise<T> {
  if (interrupted) throw new Error('interrupted');
  let done: Promise<void> | undefined;
  const once = () => {
    done ??= cleanup();
    return done;
  };
  pendingCleanups.add(once);
  try {
    return await work();
  } finally {
    pendingCleanups.delete(once);
    await once();
  }
}

/**
 * On SIGINT or SIGTERM, runs the pending clean-ups, newest first, and exits with 130.
 * Note that a PGlite query resolves without yielding to the event loop, so a signal that
 * arrives during a long PGlite section is handled only when that section ends.
 */
export function cleanUpOnSignals(): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      interrupted = true;
      progress(`${signal}: cleaning up`);
      // Dropping the database under a running query makes its client emit 'error'; the run is
      // over, so nothing may stop the clean-up now.
      process.on('uncaughtException', (error) => progress(`during clean-up: ${describe(error)}`));
      void (async () => {
        // Newest first; nothing new is registered once interrupted.
        for (const cleanup of [...pendingCleanups].reverse()) {
          await cleanup().catch((error: unknown) =>
            progress(`clean-up failed: ${describe(error)}`),
          );
        }
        process.exit(130);
      })();
    });
  }
}
