import { describe, expect, it } from "vitest";
import { FLASH_TTL_MS, type FlashKey, readFlash, withFlash } from "./flash.js";

const KEY: FlashKey = { secret: "a-test-secret-of-enough-length-0123456789", userId: 7 };
const NOW = Date.UTC(2026, 11, 6, 8, 0, 30);
const read = (path: string, key = KEY, now = NOW) => readFlash(new URL(path, "http://x"), key, { now });

describe("signed flash messages", () => {
  it("carries a message across a redirect, keeping the page's other parameters and its fragment", () => {
    const path = withFlash(
      "/mentions/7?tab=links&notice=old#account-links",
      "notice",
      "Linked & saved.",
      KEY,
      NOW,
    );
    expect(path).toMatch(
      /^\/mentions\/7\?tab=links&notice=Linked%20%26%20saved\.&t=[0-9a-z]+&sig=[\w-]{22}#account-links$/,
    );
    expect(read(path)).toEqual({ kind: "notice", text: "Linked & saved." });
    // A reload a few minutes later still shows it.
    expect(read(path, KEY, NOW + 5 * 60_000)).toEqual({ kind: "notice", text: "Linked & saved." });
  });

  it("shows nothing for a message Rapport did not sign: crafted, altered, swapped in kind, or under another key", () => {
    expect(read("/sources?notice=Your%20account%20is%20locked%2C%20call%20555-0100")).toBeUndefined();
    const signed = withFlash("/sources", "notice", "Saved.", KEY, NOW);
    expect(read(signed.replace("Saved.", "Saved!"))).toBeUndefined();
    expect(read(signed.replace("notice=", "error="))).toBeUndefined();
    expect(read(signed, { ...KEY, secret: "another-secret-of-enough-length-987654" })).toBeUndefined();
    expect(read(signed.replace(/sig=[\w-]+/, "sig="))).toBeUndefined();
  });

  it("shows a message only to the person it was written for, on the page it was written for, for ten minutes", () => {
    // A manager who names a source "call 555-0100" gets a signed "Saved …" message: it must not work as a link
    // sent to anyone else, on any other page, or later.
    const signed = withFlash(
      "/sources",
      "notice",
      'Saved "Your account is locked: call 555-0100".',
      KEY,
      NOW,
    );
    expect(read(signed)).toBeDefined();
    expect(read(signed, { ...KEY, userId: 8 })).toBeUndefined();
    expect(read(signed.replace("/sources", "/templates"))).toBeUndefined();
    expect(read(signed, KEY, NOW + FLASH_TTL_MS + 60_000)).toBeUndefined();
    expect(read(signed, KEY, NOW - 5 * 60_000)).toBeUndefined();
    expect(read(signed.replace(/t=[0-9a-z]+/, "t=zzzzzzzzzz"))).toBeUndefined();
  });

  it("cuts a long message for display", () => {
    const path = withFlash("/sources", "error", "x".repeat(900), KEY, NOW);
    expect(read(path)?.text).toHaveLength(500);
  });
});
