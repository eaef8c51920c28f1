import { describe, expect, it } from "vitest";
import { LocalEngine } from "./local.js";

const engine = new LocalEngine();
const classify = async (text: string) => (await engine.classify([{ id: "1", text }]))[0]!;

describe("flags are evidence the post is about collections", () => {
  it.each([
    ["my lawyer will be in touch", "attorney"],
    ["I'm filing bankruptcy", "bankruptcy"],
    ["Filed a complaint with the CFPB about Summit Recovery", "regulator"],
    ["you people make me want to kill myself", "self_harm"],
    ["I don't see the point of living anymore", "self_harm"],
  ])("%s", async (text, flag) => {
    const result = await classify(text);
    expect(result.flags).toContain(flag);
    expect(result.relevant).toBe(true);
    expect(["not_collections", "praise"]).not.toContain(result.category);
  });
});

describe("an answer made by flag evidence", () => {
  it("says how sure the model is, not how sure the pattern is", () => {
    const { prediction } = engine.classifyOne({ id: "1", text: "my lawyer will be in touch" });
    expect(prediction.relevant).toBe(true);
    expect(prediction.relevantProbability).toBeLessThan(0.5);
    expect(prediction.categoryProbability).toBeLessThanOrEqual(0.5);
    // P(relevant) × P(code | relevant): the model's doubt about relevance stays in the confidence.
    expect(prediction.confidence).toBeCloseTo(
      prediction.relevantProbability * prediction.categoryProbability,
      10,
    );
  });
});
