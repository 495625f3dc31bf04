import type { Feature } from './matrix.js';

const FNV_OFFSET_BASIS = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK_64 = (1n << 64n) - 1n;

/**
 * 64-bit FNV-1a over the UTF-8 bytes of `text`, as 16 hex digits: short, stable across runs
 * and machines, enough to tell configurations apart. It catches accidents; it is not meant to
 * resist tampering.
 */
export function fingerprint(text: string): string {
  let hash = FNV_OFFSET_BASIS;
  for (const byte of new TextEncoder().encode(text)) {
    hash = ((hash ^ BigInt(byte)) * FNV_PRIME) & MASK_64;
  }
  return hash.toString(16).padStart(16, '0');
}

/**
 * A fingerprint of a feature schema (names, kinds, categories, groups, in order), stored in a
 * saved model so that a body whose features were edited after saving is refused on load.
 */
export function hashFeatureSchema(features: readonly Feature[]): string {
  return fingerprint(
    JSON.stringify(
      features.map((feature) =>
        feature.kind === 'numeric'
          ? [feature.name, feature.kind, feature.group ?? null]
          : [feature.name, feature.kind, feature.group ?? null, feature.categories],
      ),
    ),
  );
}
