import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFileStorage } from './file-storage.js';

describe('file export storage', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'leadscore-exports-'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  const text = async (stream: NodeJS.ReadableStream | null) => {
    const chunks: Buffer[] = [];
    for await (const chunk of stream ?? []) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  };
  const csv = 'text/csv';

  it('writes a file whole, readable only by its owner, and counts its bytes', async () => {
    const storage = createFileStorage(root);
    const written = await storage.write('org-1/a.csv', Readable.from(['héllo\n', 'world\n']), {
      contentType: csv,
    });
    expect(written.bytes).toBe(Buffer.byteLength('héllo\nworld\n'));
    expect(await text(await storage.read('org-1/a.csv'))).toBe('héllo\nworld\n');
    expect((await stat(path.join(root, 'org-1/a.csv'))).mode & 0o777).toBe(0o600);
  });

  it('replaces a file only once the new one is complete; a failed write leaves the old one and no part', async () => {
    const storage = createFileStorage(root);
    await storage.write('org-1/b.csv', Readable.from(['first\n']), { contentType: csv });
    async function* failing() {
      yield Buffer.from('second, partly\n');
      throw new Error('the database went away');
    }
    await expect(
      storage.write('org-1/b.csv', Readable.from(failing()), { contentType: csv }),
    ).rejects.toThrow('the database went away');
    expect(await text(await storage.read('org-1/b.csv'))).toBe('first\n');
    expect((await readdir(path.join(root, 'org-1'))).filter((f) => f.includes('partial'))).toEqual(
      [],
    );
    await storage.write('org-1/b.csv', Readable.from(['third\n']), { contentType: csv });
    expect(await readFile(path.join(root, 'org-1/b.csv'), 'utf8')).toBe('third\n');
  });

  it('removes the parts a write cut short by a crash left behind', async () => {
    const storage = createFileStorage(root);
    await storage.write('org-2/c.csv', Readable.from(['one\n']), { contentType: csv });
    await writeFile(path.join(root, 'org-2/c.csv.0123456789ab.partial'), 'half a fi');
    await writeFile(path.join(root, 'org-2/cc.csv.0123456789ab.partial'), 'another file');
    await storage.write('org-2/c.csv', Readable.from(['two\n']), { contentType: csv });
    expect((await readdir(path.join(root, 'org-2'))).sort()).toEqual([
      'c.csv',
      'cc.csv.0123456789ab.partial',
    ]);
  });

  it('answers null for a file that is not there', async () => {
    expect(await createFileStorage(root).read('org-1/none.csv')).toBeNull();
  });

  it('refuses keys that could leave its directory', async () => {
    const storage = createFileStorage(root);
    for (const key of ['../escape.csv', '/etc/passwd.csv', 'a/../../b.csv', 'no-extension']) {
      await expect(storage.read(key)).rejects.toThrow('not a storage key');
    }
  });
});
