import { describe, expect, it } from "vitest";
import { type ExplainMention, explainSpike } from "../../domain/spikes/explain.js";
import { explanationHighlights, extractiveSummary } from "./spike-summary.js";

const baseline: ExplainMention[] = Array.from({ length: 28 }, (_, i) => ({
  id: `b${i}`,
  text: ["The payment portal logs me out", "They call me at work", "Letter about my balance"][i % 3]!,
  source: "reddit",
  author: `regular${i % 9}`,
  category: i % 2 ? "payment_service" : "communication_tactics",
}));

const storm: ExplainMention[] = [
  ...Array.from({ length: 30 }, (_, i) => ({
    id: `rt${i}`,
    text: "RT @angry: Acme threatened to garnish my wages, boycott them",
    source: "x",
    author: `fan${i}`,
    authorKey: `ak-fan${i}`,
    contentHash: "hash-garnish",
    category: "legal_threats",
  })),
  ...Array.from({ length: 6 }, (_, i) => ({
    id: `own${i}`,
    text: `Different complaint ${["fees", "calls", "letters", "lies", "threats", "court"][i]} from Acme`,
    source: "reddit",
    author: `user${i}`,
    authorKey: `ak-user${i}`,
    contentHash: `own-${i}`,
    category: "payment_service",
  })),
];

describe("extractive spike summary", () => {
  it("says a retweet storm is one post shared, not a wave, in two sentences", () => {
    const e = explainSpike(storm, baseline, { baselineHours: 28 });
    const summary = extractiveSummary(e, 36, 4);
    expect(summary).toBe(
      "36 mentions in the hour, 9.0× the usual 4, mostly legal threats on x. One post shared 30 times (83% of the spike): a cross-post or retweet storm, not a wave of complaints.",
    );
    // The dashboard's lines lead with it, and give growth as a rate against the baseline's 28 hours.
    const lines = explanationHighlights(e);
    expect(lines[0]).toContain("One post shared 30 times");
    // legal_threats: 30 now, 0 in 28 baseline hours.
    expect(lines.find((l) => l.startsWith("categories:"))).toContain("legal threats 30 vs 0.0/h usually");
  });

  it("names what many voices write about", () => {
    const wave: ExplainMention[] = Array.from({ length: 12 }, (_, i) => ({
      id: i,
      text: `The payment portal shows an error ${["again", "today", "on my phone", "since Monday"][i % 4]}`,
      source: "x",
      author: `person${i}`,
      contentHash: `w${i}`,
      category: "payment_service",
    }));
    const e = explainSpike(wave, baseline, { baselineHours: 28 });
    expect(e.concentration?.kind).toBe("wave");
    expect(extractiveSummary(e, 12, 3)).toMatch(
      /^12 mentions in the hour, 4\.0× the usual 3, mostly payment service on x\. People are writing about "[^"]+"/,
    );
  });
});
