import { describe, expect, it } from "vitest";
import { readFlash, withFlash } from "./flash.js";

const SECRET = "a-test-secret-of-enough-length-0123456789";
const read = (path: string, secret = SECRET) => readFlash(new URL(path, "http://x").searchParams, secret);

describe("signed flash messages", () => {
  it("carries a message across a redirect, keeping the page's other parameters and its fragment", () => {
    const path = withFlash(
      "/mentions/7?tab=links&notice=old#account-links",
      "notice",
      "Linked & saved.",
      SECRET,
    );
    expect(path).toMatch(
      /^\/mentions\/7\?tab=links&notice=Linked%20%26%20saved\.&sig=[\w-]{22}#account-links$/,
    );
    expect(read(path)).toEqual({ kind: "notice", text: "Linked & saved." });
  });

  it("shows nothing for a message Rapport did not sign: crafted, altered, swapped in kind, or under another key", () => {
    expect(read("/sources?notice=Your%20account%20is%20locked%2C%20call%20555-0100")).toBeUndefined();
    const signed = withFlash("/sources", "notice", "Saved.", SECRET);
    expect(read(signed.replace("Saved.", "Saved!"))).toBeUndefined();
    expect(read(signed.replace("notice=", "error="))).toBeUndefined();
    expect(read(signed, "another-secret-of-enough-length-987654")).toBeUndefined();
    expect(read(signed.replace(/sig=[\w-]+/, "sig="))).toBeUndefined();
  });

  it("cuts a long message for display", () => {
    const path = withFlash("/sources", "error", "x".repeat(900), SECRET);
    expect(read(path)?.text).toHaveLength(500);
  });
});
