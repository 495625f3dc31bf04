import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { checkKey, type ExportStorage } from './export-storage.js';

/**
 * Files under a directory (`DATA_DIR/exports`). Each is written under a temporary name beside
 * its final one, flushed to disk, then renamed into place: the rename is atomic, so a reader
 * finds the previous file or the complete new one, never a part.
 */
export function createFileStorage(root: string): ExportStorage {
  const pathOf = (key: string) => path.join(root, checkKey(key));
  return {
    kind: 'file',
    async write(key, body) {
      const target = pathOf(key);
      // Exports hold every lead's personal data: readable by the server's user alone.
      await mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
      await removeParts(target);
      const partial = `${target}.${randomBytes(6).toString('hex')}.partial`;
      const file = createWriteStream(partial, { flags: 'wx', mode: 0o600, flush: true });
      try {
        await pipeline(body, file);
        await rename(partial, target);
      } catch (error) {
        body.destroy();
        await rm(partial, { force: true });
        throw error;
      }
      return { bytes: file.bytesWritten };
    },
    async read(key) {
      try {
        // Opened first, so that a missing file answers null rather than a stream that fails.
        const handle = await open(pathOf(key), 'r');
        return handle.createReadStream();
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
  };
}

/**
 * Removes the parts of this file that earlier writes left when their process died. A write of
 * the same key still running elsewhere (a job retried as lost while it ran on) then fails at
 * its rename, and this write's file is the one kept.
 */
async function removeParts(target: string): Promise<void> {
  const prefix = `${path.basename(target)}.`;
  for (const name of await readdir(path.dirname(target))) {
    if (name.startsWith(prefix) && name.endsWith('.partial')) {
      await rm(path.join(path.dirname(target), name), { force: true });
    }
  }
}
