// Opaque keyset cursors: base64url JSON of the last row's sort key. Clients pass `next` back unchanged.
import { badRequest } from "../../errors.js";

export function encodeCursor(key: (string | number | null)[]): string {
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

/** Every key this server issues is integers (times in ms, ids): anything else was forged or damaged, and would
 * reach SQL as NaN or a number SQLite cannot hold (a 500). */
export function decodeCursor(cursor: string, length: number): number[] {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(key) && key.length === length && key.every((v) => Number.isSafeInteger(v))) {
      return key;
    }
  } catch {
    // fall through to the error below
  }
  throw badRequest("`next` is not a cursor this server issued");
}
