// scripts/build-demo-data.ts: the bundled demo text is the source text, only shortened, picked deterministically.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  buildDemoRows,
  buildPlatformPayloads,
  DEMO_ACCOUNTS_CSV,
  DEMO_WRITTEN_X_PAGE,
  renameCompany,
  truncateForFeed,
} from "../scripts/build-demo-data.js";
import { parseAccountsCsv } from "../src/domain/accounts/import.js";

describe("truncateForFeed", () => {
  it("keeps a short text as it is", () => {
    expect(truncateForFeed("They called me at work five times today.")).toEqual({
      text: "They called me at work five times today.",
      truncated: false,
    });
  });

  it("cuts a long text at the last sentence end, never after an abbreviation", () => {
    const first = `${"The collector called my employer again and again. ".repeat(8)}`;
    const text = `${first}I filed under 15 U.S. Code 1692 and I also ${"kept waiting for an answer ".repeat(20)}.`;
    const cut = truncateForFeed(text);
    expect(cut.truncated).toBe(true);
    expect(cut.text).toBe(first.trim());
    expect(text.startsWith(cut.text)).toBe(true);
  });

  it("cuts at a word with an ellipsis when no sentence ends early enough", () => {
    const text = `${"word ".repeat(200)}end.`;
    const cut = truncateForFeed(text, 600);
    expect(cut.text.endsWith("word…")).toBe(true);
    expect(cut.text.length).toBeLessThanOrEqual(601);
    expect(text.startsWith(cut.text.slice(0, -1))).toBe(true);
  });
});

describe("buildDemoRows", () => {
  const dir = mkdtempSync(join(tmpdir(), "rapport-demo-data-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const source = {
    source_repo: "example/data",
    source_commit: "a".repeat(40),
    source_path: "complaints.csv",
  };
  const long = (s: string) =>
    `${s} I have asked them many times to send me proof of this debt and nothing came.`;
  const write = (file: string, rows: object[]) =>
    writeFileSync(join(dir, file), rows.map((r) => JSON.stringify({ ...source, ...r })).join("\n"));

  write("cfpb_debt_collection_labelled.jsonl", [
    { id: "l1", text: long("A collector says I owe for an ER bill."), sub_product: "Medical debt" },
    { id: "l2", text: long("They repossessed my car and now call daily."), sub_product: "Auto debt" },
    { id: "l3", text: long("Hospital bill for my car accident is in collections."), sub_product: null },
    { id: "l4", text: "Too short to read as a post.", sub_product: null },
  ]);
  write("cfpb_debt_collection_unlabelled.jsonl", [
    { id: "u1", text: long("The doctor's office sent my account to collections.") },
    { id: "u2", text: long("XXXX XXXX XXXX XXXX XXXX XXXX XXXX XXXX XXXX XXXX XXXX XXXX XXXX XXXX XXXX.") },
    {
      id: "u3",
      text: `${long("They keep calling my mother about a debt.")} ${"More details follow here. ".repeat(40)}`,
    },
  ]);
  write("cfpb_other_products.jsonl", [{ id: "o1", text: long("My bank charged a hospital payment twice.") }]);
  write("cdcp_rulemaking_comments.jsonl", [
    { id: "c1", text: long("The rule should limit calls to three a week.") },
  ]);

  it("selects readable rows, assigns segments by debt type, and keeps each text's provenance", () => {
    const rows = buildDemoRows(dir);
    const byOriginal = new Map(rows.map((r) => [r.original_id, r]));
    expect([...byOriginal.keys()].sort()).toEqual(["c1", "l1", "l2", "l3", "o1", "u1", "u3"]);
    expect(byOriginal.get("l1")?.segment).toBe("medical");
    expect(byOriginal.get("u1")?.segment).toBe("medical");
    expect(byOriginal.get("l2")?.segment).toBe("auto");
    // Both medical and a car: neither client, so the company's own feed.
    expect(byOriginal.get("l3")?.segment).toBe("company");
    // Not a collections complaint: never a client's.
    expect(byOriginal.get("o1")?.segment).toBe("company");
    expect(byOriginal.get("c1")).toMatchObject({
      kind: "post",
      rating: null,
      source_file: "cdcp_rulemaking_comments.jsonl",
    });
    for (const row of rows) {
      expect(row).toMatchObject(source);
      expect(row.author).toMatch(/^demo_user_\d{4}$/);
      if (row.kind === "review") expect([1, 2]).toContain(row.rating);
      else expect(row.rating).toBeNull();
    }
    expect(new Set(rows.map((r) => r.author)).size).toBe(rows.length);
    expect(rows.map((r) => r.id)).toEqual(["001", "002", "003", "004", "005", "006", "007"]);
  });

  it("changes no text but by truncation, and builds the same rows every time", () => {
    const rows = buildDemoRows(dir);
    const u3 = rows.find((r) => r.original_id === "u3");
    expect(u3?.truncated).toBe(true);
    expect(u3?.text.startsWith("They keep calling my mother about a debt.")).toBe(true);
    expect(rows.find((r) => r.original_id === "l1")?.text).toBe(
      long("A collector says I owe for an ER bill."),
    );
    expect(buildDemoRows(dir)).toEqual(rows);
  });
});

describe("the platform payloads and accounts the demo seeds", () => {
  it("renames only the fixtures' made-up company", () => {
    expect(
      renameCompany("@AcmeRecovery called; ACME RECOVERY; acme recovery's portal; Example Co. Customer Care"),
    ).toBe(
      "@SummitRecovery called; SUMMIT RECOVERY; summit recovery's portal; Summit Recovery Services Customer Care",
    );
    expect(renameCompany("ENCORE CAPITAL GROUP INC.")).toBe("ENCORE CAPITAL GROUP INC.");
  });

  it("the committed platforms.json is what the script builds from test/fixtures (rebuild: --platforms-only)", () => {
    const committed = JSON.parse(readFileSync("data/demo/platforms.json", "utf8"));
    const built = buildPlatformPayloads("test/fixtures");
    expect(committed).toEqual(JSON.parse(JSON.stringify(built)));
    expect(built.map((p) => p.type)).toEqual(["x", "reddit", "google", "trustpilot", "cfpb"]);
    // Each page is a recorded fixture, renamed, except the one X page written for the demo.
    const x = built.find((p) => p.type === "x")!;
    expect(x.pages[0]).toEqual(
      JSON.parse(renameCompany(readFileSync("test/fixtures/x/search-page1.json", "utf8"))),
    );
    expect(x.pages.at(-1)).toEqual(DEMO_WRITTEN_X_PAGE);
  });

  it("the committed accounts.csv parses cleanly with the import's own parser", () => {
    const text = readFileSync("data/demo/accounts.csv", "utf8");
    expect(text).toBe(DEMO_ACCOUNTS_CSV);
    const parsed = parseAccountsCsv(text);
    expect(parsed.errors).toEqual([]);
    expect(parsed.rows.map((r) => r.reference)).toEqual([
      "SRS-100231",
      "SRS-100872",
      "SRS-101455",
      "SRS-102210",
      "SRS-103007",
    ]);
  });
});
