// Everyday words with a second sense (collection, recovery, agency, balance, statement, settle) must not make a post
// relevant on their own, and must not stop one that is about collections. The table is
// src/classifier/data/homonym_test.jsonl (hand-written by us, never trained on), plus the cases the issue names.
import { describe, expect, it } from "vitest";
import { LocalEngine } from "./local.js";
import { HOMONYM_TEST_PATH, loadJsonlRows } from "./training.js";

const engine = new LocalEngine();
const table = loadJsonlRows(HOMONYM_TEST_PATH);

describe("homonyms", () => {
  it("has the issue's examples in the table, both ways", () => {
    const texts = table.map((r) => r.text);
    for (const text of [
      "Just finished organizing my vinyl collection",
      "Garbage collection day moved to Thursday",
      "Java's new garbage collector",
      "The museum's new collection",
      "recovery after my knee surgery",
    ])
      expect(texts).toContain(text);
    expect(table.some((r) => r.relevant && r.text.startsWith("Example Recovery's collection calls"))).toBe(
      true,
    );
  });

  it.each(table.map((r) => [r.text, r.relevant] as const))("%s → relevant: %s", (text, relevant) => {
    expect(engine.classifyOne({ id: "h", text }).relevant).toBe(relevant);
  });
});
