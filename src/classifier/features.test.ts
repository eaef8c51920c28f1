import { describe, expect, it } from "vitest";
import { CUE_VOCABULARY, extractFeatures, tokenize } from "./features.js";

const bits = 16;
const same = (a: string, b: string) => {
  const x = extractFeatures(a, { bits });
  const y = extractFeatures(b, { bits });
  return (
    JSON.stringify([...x.indices].map((i, k) => [i, x.values[k]]).sort()) ===
    JSON.stringify([...y.indices].map((i, k) => [i, y.values[k]]).sort())
  );
};

describe("extractFeatures", () => {
  it("normalizes case, masking, handles, links, money and digits the way the tokenizer documents", () => {
    expect(tokenize("Don't @Apex_Co see https://x.co/a?b=1 #Debt $1,234.56 XX/XX/XXXX 10am")).toEqual([
      "dont",
      "handletoken",
      "see",
      "urltoken",
      "debt",
      "moneytoken",
      "xxxx",
      "xxxx",
      "xxxx",
      "0am",
    ]);
    expect(same("DON'T call @someone", "dont call @other")).toBe(true);
    expect(same("don’t pay $5", "don't pay $700.00")).toBe(true);
    expect(same("XXXX wrote on XX/XX/2019", "xxxxxx wrote on xx/xx/2020")).toBe(true);
    expect(same("see https://a.example/x", "see http://b.example/y?z")).toBe(true);
    expect(same("#debt collector", "debt collector")).toBe(true);
    expect(same("debt collector", "debt collection")).toBe(false);
  });

  it("gives the same vector for the same text, and unit-scale values", () => {
    const a = extractFeatures("they keep calling my boss about a debt", { bits });
    const b = extractFeatures("they keep calling my boss about a debt", { bits });
    expect([...a.indices]).toEqual([...b.indices]);
    expect([...a.values]).toEqual([...b.values]);
    expect(a.indices.every((i) => i >= 0 && i < 1 << bits)).toBe(true);
    expect(Math.max(...a.values)).toBeLessThan(2);
  });

  it("turns on a cue for a phrase of the taxonomy but not for an everyday word alone", () => {
    // "debt collector" is a collections cue (an extra feature); "vinyl collection" has no cue.
    const withCue = extractFeatures("debt collector", { bits, charWeight: 0, bigrams: false });
    const withoutCues = extractFeatures("debt collector", {
      bits,
      charWeight: 0,
      bigrams: false,
      cueWeight: 0,
    });
    expect(withCue.indices.length).toBeGreaterThan(withoutCues.indices.length);
    const everyday = extractFeatures("vinyl collection", { bits, charWeight: 0, bigrams: false });
    const everydayNoCues = extractFeatures("vinyl collection", {
      bits,
      charWeight: 0,
      bigrams: false,
      cueWeight: 0,
    });
    expect(everyday.indices.length).toBe(everydayNoCues.indices.length);
  });

  it("keeps every cue phrase to tokens the tokenizer can produce", () => {
    for (const [name, list] of Object.entries(CUE_VOCABULARY)) {
      for (const entry of list.match(/"[^"]*"|\S+/g) ?? []) {
        const phrase = entry.replace(/"/g, "").replace(/_/g, " ");
        expect(tokenize(phrase), `${name}: ${phrase}`).toEqual(phrase.split(" "));
      }
    }
  });

  it("handles hostile text: long runs, lone surrogates, control characters, empty input", () => {
    const hostile = `${"a".repeat(50_000)} ${"@".repeat(10_000)} ${"$".repeat(5_000)}1 \u0000\ud800 http://${"x".repeat(9_000)}`;
    const x = extractFeatures(hostile, { bits });
    expect(x.indices.length).toBeGreaterThan(0);
    const empty = extractFeatures("", { bits });
    expect(empty.indices.length).toBe(1); // the length bucket alone
  });
});
