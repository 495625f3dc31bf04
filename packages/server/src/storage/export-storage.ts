import type { Readable } from 'node:stream';

/**
 * Where background exports keep their files: the data dir by default, or an S3 bucket (see
 * index.ts). A file is written whole or not at all: readers never see one half written.
 */
export interface ExportStorage {
  /** Recorded with each file, so that a download looks for it in the storage that holds it. */
  readonly kind: 'file' | 's3';
  /**
   * Writes everything `body` yields under `key` (a relative path such as `org/id.csv`),
   * replacing what the key held once the whole body is stored. On failure nothing new is
   * left under the key, and `body` is destroyed.
   */
  write(key: string, body: Readable, options: { contentType: string }): Promise<{ bytes: number }>;
  /** The stored file, or null when there is none under the key. */
  read(key: string): Promise<Readable | null>;
}

/** Keys are paths of our own making; anything else (`..`, absolute paths) is refused. */
const KEY = /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*\.[a-z0-9]+$/;

export function checkKey(key: string): string {
  if (!KEY.test(key)) throw new Error(`not a storage key: ${JSON.stringify(key)}`);
  return key;
}
