import { describe, expect, it } from "vitest";
import { buildClassifier } from "./classifier.js";

const config = { CLAUDE_MODEL: "m" };

describe("buildClassifier", () => {
  it("is local without a key, hybrid with one, and refuses Claude without a key", () => {
    expect(buildClassifier(config).engine.name).toBe("local");
    const hybrid = buildClassifier({
      ...config,
      ANTHROPIC_API_KEY: "k",
      ANTHROPIC_BASE_URL: "http://127.0.0.1:9",
    });
    expect(hybrid.engine.name).toBe("hybrid");
    expect(hybrid.versions).toHaveLength(2);
    expect(buildClassifier({ ...config, ANTHROPIC_API_KEY: "k" }, { engine: "claude" }).engine.name).toBe(
      "claude",
    );
    expect(() => buildClassifier(config, { engine: "claude" })).toThrow(/ANTHROPIC_API_KEY/);
  });

  it("honours CLASSIFIER_ENGINE, and an explicit engine over it", () => {
    const keyed = { ...config, ANTHROPIC_API_KEY: "k" };
    expect(buildClassifier({ ...keyed, CLASSIFIER_ENGINE: "local" }).engine.name).toBe("local");
    expect(buildClassifier({ ...keyed, CLASSIFIER_ENGINE: "claude" }).engine.name).toBe("claude");
    expect(buildClassifier({ ...keyed, CLASSIFIER_ENGINE: "claude" }, { engine: "hybrid" }).engine.name).toBe(
      "hybrid",
    );
  });
});
