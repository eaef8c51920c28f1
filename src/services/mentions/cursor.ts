// Opaque keyset cursors: base64url JSON of the last row's sort key. Clients pass `next` back unchanged.
import { badRequest } from "../../errors.js";

export function encodeCursor(key: (string | number | null)[]): string {
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

export function decodeCursor(cursor: string, length: number): (string | number | null)[] {
  try {
    const key = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (
      Array.isArray(key) &&
      key.length === length &&
      key.every((v) => v === null || ["string", "number"].includes(typeof v))
    ) {
      return key;
    }
  } catch {
    // fall through to the error below
  }
  throw badRequest("`next` is not a cursor this server issued");
}
