import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * The key that signs access tokens: TOKEN_SIGNING_KEY when given, else one generated
 * on first start and kept (owner-only) in DATA_DIR, so tokens survive restarts. No
 * default key exists in code: each installation has its own. Processes that share
 * a PostgreSQL database must share the key too, through the environment.
 */
export async function loadTokenSigningKey(
  configured: string | undefined,
  dataDir: string,
): Promise<string> {
  if (configured) return configured;
  const file = path.join(dataDir, 'secrets', 'token-signing-key');
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    // 'wx' fails when the file exists, so a key is never overwritten.
    const handle = await open(file, 'wx', 0o600);
    const key = randomBytes(48).toString('base64url');
    await handle.writeFile(key);
    await handle.close();
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const key = (await readFile(file, 'utf8')).trim();
    if (key.length < 32) {
      throw new Error(
        `${file} holds no usable key (under 32 characters); delete it to generate a new one`,
      );
    }
    return key;
  }
}
