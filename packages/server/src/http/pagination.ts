import { Type } from 'typebox';
import { AppError, HttpErrors } from './errors.js';

/**
 * Keyset pagination: a cursor is the sort key of the last row served (opaque to
 * clients), so a page costs the same however deep it is and rows inserted meanwhile
 * neither repeat nor vanish.
 */
export const PageQuery = {
  cursor: Type.Optional(
    Type.String({ maxLength: 512, description: 'nextCursor of the previous page' }),
  ),
  limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
};

export function encodeCursor(key: readonly (string | number | null)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** The key a cursor holds; a cursor that was not made by `encodeCursor` is a 400. */
export function decodeCursor(cursor: string, length: number): (string | number | null)[] {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(key) &&
      key.length === length &&
      key.every((part) => part === null || typeof part === 'string' || typeof part === 'number')
    ) {
      return key;
    }
  } catch {
    // Falls through to the same answer as a well-formed but wrong cursor.
  }
  throw invalidCursor();
}

/** The 400 for a cursor this API did not issue (or issued for another list shape). */
export function invalidCursor(): AppError {
  return new AppError(HttpErrors.VALIDATION_FAILED, 'cursor is not one this API issued', {
    errors: [{ in: 'querystring', field: 'cursor', message: 'is not a cursor this API issued' }],
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The (created_at, id) a newest-first list's cursor holds (see `newestFirst` in src/db). */
export function decodeNewestFirstCursor(cursor: string): { createdAt: Date; id: string } {
  const [createdAt, id] = decodeCursor(cursor, 2);
  const at = typeof createdAt === 'string' ? new Date(createdAt) : undefined;
  if (at && !Number.isNaN(at.getTime()) && typeof id === 'string' && UUID.test(id)) {
    return { createdAt: at, id };
  }
  throw invalidCursor();
}

/** `{data, nextCursor}` from one row more than the page size, which tells if a next page exists. */
export function toPage<T>(rows: T[], limit: number, keyOf: (row: T) => (string | number | null)[]) {
  const data = rows.slice(0, limit);
  const last = data.at(-1);
  return {
    data,
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null,
  };
}

export function pageSchema<T extends Parameters<typeof Type.Array>[0]>(item: T) {
  return Type.Object({
    data: Type.Array(item),
    nextCursor: Type.Union([Type.String(), Type.Null()]),
  });
}
