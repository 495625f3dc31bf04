import { open, readFile, unlink } from 'node:fs/promises';

/** Another live process holds the data directory. */
export class DirectoryLockedError extends Error {
  constructor(
    readonly lockPath: string,
    readonly ownerPid: number,
  ) {
    super(
      `Another Leadscore process (pid ${ownerPid}) is using this data directory (${lockPath}). ` +
        'The embedded database allows one process at a time: stop the other one, or set ' +
        'DATABASE_URL to share a PostgreSQL server between processes.',
    );
    this.name = 'DirectoryLockedError';
  }
}

/**
 * Takes an exclusive, crash-tolerant lock: a file holding our pid, created atomically.
 * A lock whose process is gone (killed, crashed) is taken over, so a kill -9 never
 * leaves the directory unusable. Returns the function that releases it.
 */
export async function acquireDirectoryLock(lockPath: string): Promise<() => Promise<void>> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(lockPath, 'wx', 0o600);
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => releaseIfOurs(lockPath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const ownerPid = Number.parseInt(await readFile(lockPath, 'utf8').catch(() => ''), 10);
      if (Number.isInteger(ownerPid) && isAlive(ownerPid)) {
        throw new DirectoryLockedError(lockPath, ownerPid);
      }
      await unlink(lockPath).catch(() => undefined);
    }
  }
  throw new Error(`Could not take the lock ${lockPath}: another process keeps recreating it`);
}

async function releaseIfOurs(lockPath: string): Promise<void> {
  const ownerPid = await readFile(lockPath, 'utf8').catch(() => '');
  if (ownerPid === String(process.pid)) await unlink(lockPath);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
