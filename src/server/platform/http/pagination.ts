/**
 * Cursor pagination: `?limit=&cursor=`; the answer is `{ items, nextCursor }`.
 * A cursor is opaque to clients (base64url JSON of the sort key of the last item).
 */
import { type TSchema, Type } from '@sinclair/typebox';
import { problems } from './problem';

export const PageQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50, description: 'Số mục mỗi trang' })),
  cursor: Type.Optional(Type.String({ maxLength: 500, description: 'Con trỏ trang tiếp theo (nextCursor)' })),
});

export const Page = <T extends TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()]) });

export function encodeCursor(key: unknown[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): unknown[] | null {
  if (!cursor) return null;
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v)) return v;
  } catch {
    // fall through
  }
  throw problems.validation([{ field: 'query/cursor', message: 'Con trỏ phân trang không hợp lệ' }]);
}

/** A cursor of two strings (e.g. a timestamp and an id), as most lists use; a malformed one is a 400. */
export function decodeCursorPair(cursor: string | undefined): [string, string] | null {
  const key = decodeCursor(cursor);
  if (!key) return null;
  if (key.length !== 2 || typeof key[0] !== 'string' || typeof key[1] !== 'string') {
    throw problems.validation([{ field: 'query/cursor', message: 'Con trỏ phân trang không hợp lệ' }]);
  }
  return [key[0], key[1]];
}

/** Given `limit + 1` rows, returns the page and the cursor built from the last row kept. */
export function pageOf<T>(rows: T[], limit: number, keyOf: (row: T) => unknown[]): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null };
}
