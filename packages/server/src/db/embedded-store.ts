import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { acquireDirectoryLock } from './directory-lock.js';
import { PGLITE_OPTIONS } from './pglite-options.js';

export interface EmbeddedStore {
  readonly pglite: PGlite;
  close(): Promise<void>;
}

/**
 * Opens (creating on first use) the embedded PostgreSQL in `dataDir/pgdata`, holding
 * the directory's lock until closed: two processes on one PGlite data dir corrupt it.
 */
export async function openEmbeddedStore(dataDir: string): Promise<EmbeddedStore> {
  await mkdir(dataDir, { recursive: true });
  const releaseLock = await acquireDirectoryLock(path.join(dataDir, 'leadscore.lock'));
  try {
    const pgdata = path.join(dataDir, 'pgdata');
    if (!(await exists(pgdata))) await initialise(pgdata);
    const pglite = await PGlite.create(pgdata, PGLITE_OPTIONS);
    return {
      pglite,
      async close() {
        try {
          await pglite.exec('CHECKPOINT');
          await pglite.close();
        } finally {
          await releaseLock();
        }
      },
    };
  } catch (error) {
    await releaseLock();
    throw error;
  }
}

/**
 * initdb takes several seconds and a kill during it leaves a half-made directory that
 * PGlite cannot open; so it runs in a scratch directory that is renamed into place
 * only once complete.
 */
async function initialise(pgdata: string): Promise<void> {
  await removeAbandonedScratchDirs(pgdata);
  const scratch = `${pgdata}.init-${process.pid}`;
  const pglite = await PGlite.create(scratch, PGLITE_OPTIONS);
  await pglite.close();
  await rename(scratch, pgdata);
}

async function removeAbandonedScratchDirs(pgdata: string): Promise<void> {
  const parent = path.dirname(pgdata);
  const prefix = `${path.basename(pgdata)}.init-`;
  for (const name of await readdir(parent)) {
    // We hold the directory lock, so any scratch dir left here is from a dead process.
    if (name.startsWith(prefix))
      await rm(path.join(parent, name), { recursive: true, force: true });
  }
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}
