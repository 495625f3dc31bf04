import { randomBytes } from 'node:crypto';
import { argon2id, type HashOptions, hash, verify } from 'argon2';

/**
 * argon2id with OWASP's second recommended profile (19 MiB, 2 passes): strong enough
 * for stolen-hash attacks, cheap enough that a login costs tens of milliseconds.
 */
const HASH_OPTIONS: HashOptions = {
  type: argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
};

export function hashPassword(password: string): Promise<string> {
  return hash(password, HASH_OPTIONS);
}

export function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  return verify(passwordHash, password);
}

/** A password for a generated account: 128 random bits, URL-safe, easy to paste. */
export function generatePassword(): string {
  return randomBytes(16).toString('base64url');
}
