/**
 * The worker side of scoring-thread.ts: a thread's entry answers the one request it is sent
 * with the result, or with the failure, marked `refused` when it is a reason for the user (the
 * history or the model is not fit for the job) rather than a bug.
 */
import { parentPort } from 'node:worker_threads';

export type ThreadReply<R> =
  | { readonly ok: true; readonly result: R }
  | { readonly ok: false; readonly refused: boolean; readonly message: string };

export function answerOneRequest<Q, R>(
  compute: (request: Q) => R,
  isRefusal: (error: unknown) => boolean,
): void {
  parentPort?.once('message', (request: Q) => {
    let reply: ThreadReply<R>;
    try {
      reply = { ok: true, result: compute(request) };
    } catch (error) {
      reply = {
        ok: false,
        refused: isRefusal(error),
        message: error instanceof Error ? error.message : String(error),
      };
    }
    parentPort?.postMessage(reply);
  });
}
