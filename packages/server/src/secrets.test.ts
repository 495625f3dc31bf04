import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTokenSigningKey } from './secrets.js';

describe('loadTokenSigningKey', () => {
  it('generates a key on first start, keeps it owner-only, and returns the same one afterwards', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'leadscore-secrets-'));
    const first = await loadTokenSigningKey(undefined, dataDir);
    expect(first.length).toBeGreaterThanOrEqual(64);
    const file = path.join(dataDir, 'secrets', 'token-signing-key');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await loadTokenSigningKey(undefined, dataDir)).toBe(first);
  });

  it('gives every installation its own key', async () => {
    const a = await loadTokenSigningKey(
      undefined,
      await mkdtemp(path.join(tmpdir(), 'leadscore-secrets-')),
    );
    const b = await loadTokenSigningKey(
      undefined,
      await mkdtemp(path.join(tmpdir(), 'leadscore-secrets-')),
    );
    expect(a).not.toBe(b);
  });

  it('prefers the configured key and writes nothing', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'leadscore-secrets-'));
    expect(await loadTokenSigningKey('x'.repeat(40), dataDir)).toBe('x'.repeat(40));
    await expect(readFile(path.join(dataDir, 'secrets', 'token-signing-key'))).rejects.toThrow(
      /ENOENT/,
    );
  });

  it('refuses a truncated key file instead of signing with it', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'leadscore-secrets-'));
    await loadTokenSigningKey(undefined, dataDir);
    await writeFile(path.join(dataDir, 'secrets', 'token-signing-key'), 'short');
    await expect(loadTokenSigningKey(undefined, dataDir)).rejects.toThrow(/holds no usable key/);
  });
});
