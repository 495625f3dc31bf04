import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireDirectoryLock, DirectoryLockedError } from './directory-lock.js';
import { openEmbeddedStore } from './embedded-store.js';

describe('directory lock', () => {
  it('refuses a second holder while the first is alive, and frees on release', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'leadscore-lock-'));
    const lock = path.join(dir, 'leadscore.lock');
    const release = await acquireDirectoryLock(lock);
    await expect(acquireDirectoryLock(lock)).rejects.toThrow(DirectoryLockedError);
    await release();
    const again = await acquireDirectoryLock(lock);
    await again();
  });

  it('takes over a lock left by a process that died', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'leadscore-lock-'));
    const lock = path.join(dir, 'leadscore.lock');
    const child = spawn(process.execPath, ['-e', '']);
    const deadPid = await new Promise<number>((resolve) =>
      child.on('exit', () => resolve(child.pid ?? 0)),
    );
    await writeFile(lock, String(deadPid));
    const release = await acquireDirectoryLock(lock);
    await release();
  });
});

describe('embedded store', () => {
  it('creates the database on first open, reopens it with its data, and cleans up an interrupted initdb', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'leadscore-store-'));
    // What a kill during a first start's initdb leaves behind.
    await mkdir(path.join(dataDir, 'pgdata.init-99999999'), { recursive: true });

    const first = await openEmbeddedStore(dataDir);
    await first.pglite.exec(
      'create table kept (value text); insert into kept values ($$still here$$);',
    );
    await expect(openEmbeddedStore(dataDir)).rejects.toThrow(/Another Leadscore process/);
    await first.close();

    expect((await readdir(dataDir)).sort()).toEqual(['pgdata']);
    const second = await openEmbeddedStore(dataDir);
    const { rows } = await second.pglite.query<{ value: string }>('select value from kept');
    expect(rows).toEqual([{ value: 'still here' }]);
    await second.close();
  });
});
