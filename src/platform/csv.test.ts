import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { toCsv } from "./csv.js";

describe("toCsv", () => {
  it("quotes what needs quoting and round-trips through a CSV parser", () => {
    const rows = [
      ["1", 'She said "stop", twice', "line one\nline two", null],
      ["2", "plain", "", { a: 1 }],
    ];
    const csv = toCsv(["id", "text", "note", "extra"], rows);
    expect(csv.endsWith("\r\n")).toBe(true);
    expect(parse(csv)).toEqual([
      ["id", "text", "note", "extra"],
      ["1", 'She said "stop", twice', "line one\nline two", ""],
      ["2", "plain", "", '{"a":1}'],
    ]);
  });

  it("neutralises cells a spreadsheet would run as formulas", () => {
    const csv = toCsv(["v"], [['=HYPERLINK("http://x")'], ["+1"], ["-2"], ["@SUM(A1)"], ["\tx"], ["safe"]]);
    expect(
      parse(csv)
        .slice(1)
        .map((r: string[]) => r[0]),
    ).toEqual(['\'=HYPERLINK("http://x")', "'+1", "'-2", "'@SUM(A1)", "'\tx", "safe"]);
  });

  it("writes dates as ISO instants", () => {
    expect(toCsv(["at"], [[new Date("2026-12-06T08:00:00Z")]])).toBe("at\r\n2026-12-06T08:00:00.000Z\r\n");
  });
});
