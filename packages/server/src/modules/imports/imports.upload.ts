/**
 * The uploaded file, kept in the database in pieces of 1 MB (import_chunks) so that the API
 * process that receives it and the worker that imports it share no disk. Written as it
 * streams in, a piece per statement: memory holds one piece, whatever the file's size.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { findChunk, insertChunk } from './imports.repository.js';

export const CHUNK_BYTES = 1024 * 1024;

export interface StoredUpload {
  readonly bytes: number;
  /** The first piece: where the header row is. */
  readonly head: Uint8Array;
  /** Whether the first piece is the whole file. */
  readonly complete: boolean;
}

export async function storeUpload(
  db: Kysely<DB>,
  organizationId: string,
  importId: string,
  content: AsyncIterable<Uint8Array>,
): Promise<StoredUpload> {
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let bytes = 0;
  let seq = 0;
  let head: Uint8Array | undefined;
  const store = async (piece: Uint8Array) => {
    await insertChunk(db, organizationId, importId, seq++, piece);
    head ??= piece;
  };
  for await (const data of content) {
    bytes += data.length;
    pending.push(data);
    pendingBytes += data.length;
    if (pendingBytes < CHUNK_BYTES) continue;
    let joined = Buffer.concat(pending);
    while (joined.length >= CHUNK_BYTES) {
      await store(joined.subarray(0, CHUNK_BYTES));
      joined = joined.subarray(CHUNK_BYTES);
    }
    pending = [joined];
    pendingBytes = joined.length;
  }
  if (pendingBytes > 0) await store(Buffer.concat(pending));
  return { bytes, head: head ?? new Uint8Array(), complete: seq <= 1 };
}

/** The file back, a piece at a time, each read when the reader gets to it. */
export async function* readUpload(
  db: Kysely<DB>,
  organizationId: string,
  importId: string,
): AsyncGenerator<Uint8Array> {
  for (let seq = 0; ; seq++) {
    const piece = await findChunk(db, organizationId, importId, seq);
    if (!piece) return;
    yield piece;
  }
}
