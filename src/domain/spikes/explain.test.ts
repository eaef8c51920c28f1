import { describe, expect, it } from "vitest";
import { concentrationOf, type ExplainMention, explainSpike, normalizeLink, termsOf } from "./explain.js";

const baselineTexts = [
  "They keep calling me about a debt I already paid",
  "Customer service was helpful today, thanks",
  "Got a letter, not sure what it is about",
  "Calling my work again, this is harassment",
  "How do I reach someone about my statement",
  "The agent was rude on the phone",
  "Still waiting for a response to my dispute letter",
  "Letter says I owe more than I thought",
];

function baseline(): ExplainMention[] {
  return Array.from({ length: 40 }, (_, i) => ({
    id: `b${i}`,
    text: baselineTexts[i % baselineTexts.length]!,
    source: i % 3 === 0 ? "x" : "reddit",
    author: `user${i % 17}`,
    category: i % 2 ? "communication_tactics" : "payment_service",
  }));
}

function spike(): ExplainMention[] {
  const portal = [
    "The payment portal is down again and I can't pay https://status.example.com/incident/42?utm_source=x",
    "Payment portal keeps giving an error when I try to log in",
    "Is the payment portal broken for everyone? error 500",
    "payment portal error again, third day in a row",
    "Tried the payment portal on my phone and laptop, same error https://status.example.com/incident/42",
    "Payment portal down. Tried calling, on hold forever",
  ];
  const rows: ExplainMention[] = portal.map((text, i) => ({
    id: `s${i}`,
    text,
    source: "x",
    author: `person${i}`,
    category: "payment_service",
    url: `https://x.com/p/${i}`,
  }));
  // A retweet of the first post must not take two example slots.
  rows.push({ ...rows[0]!, id: "s-rt", author: "person9" });
  rows.push({
    id: "s-other",
    text: "They keep calling me about a debt",
    source: "reddit",
    author: "user1",
    category: "communication_tactics",
  });
  return rows;
}

describe("explainSpike", () => {
  const explanation = explainSpike(spike(), baseline());

  it("names the over-represented terms first, without restating a bigram's words", () => {
    const terms = explanation.terms.map((t) => t.value);
    expect(terms[0]).toBe("payment portal");
    expect(terms).toContain("error");
    expect(terms).not.toContain("calling");
    expect(terms).not.toContain("portal");
    const first = explanation.terms[0]!;
    expect(first.count).toBe(7);
    expect(first.baselineShare).toBe(0);
    expect(first.score).toBeGreaterThan(2);
  });

  it("finds the shared link with tracking stripped, the category and the source", () => {
    expect(explanation.links.map((l) => l.value)).toEqual(["status.example.com/incident/42"]);
    expect(explanation.categories.map((c) => c.value)).toEqual(["payment_service"]);
    expect(explanation.sources[0]?.value).toBe("x");
  });

  it("does not call an author over-represented for a single post", () => {
    expect(explanation.authors).toEqual([]);
  });

  it("picks three representative, distinct posts", () => {
    expect(explanation.examples).toHaveLength(3);
    const ids = explanation.examples.map((e) => e.id);
    expect(ids).not.toContain("s-other");
    expect(ids.filter((id) => id === "s0" || id === "s-rt").length).toBeLessThanOrEqual(1);
    expect(new Set(ids).size).toBe(3);
    expect(explanation.mentions).toBe(8);
    expect(explanation.baselineMentions).toBe(40);
  });

  it("copes with an empty baseline and an empty spike", () => {
    const alone = explainSpike(spike(), []);
    expect(alone.terms[0]?.value).toBe("payment portal");
    const empty = explainSpike([], baseline());
    expect(empty).toMatchObject({ mentions: 0, terms: [], examples: [] });
  });
});

describe("who carries a spike", () => {
  const storm = (): ExplainMention[] => [
    // One post retweeted 30 times by 30 accounts: same content hash, different authors.
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
      text: `Different complaint number ${i} about the payment portal`,
      source: "reddit",
      author: `user${i}`,
      authorKey: `ak-user${i}`,
      contentHash: `own-${i}`,
      category: "payment_service",
    })),
  ];

  it("flags a retweet storm: one cross-posted text is most of the spike", () => {
    const e = explainSpike(storm(), baseline(), { baselineHours: 28 });
    expect(e.concentration).toMatchObject({ kind: "cross_post", authors: 36, texts: 7 });
    expect(e.concentration!.topText).toMatchObject({ count: 30 });
    expect(e.concentration!.topText!.share).toBeCloseTo(30 / 36, 10);
    // The storm takes one example slot, not three.
    expect(e.examples.filter((x) => String(x.id).startsWith("rt"))).toHaveLength(1);
  });

  it("flags one author posting most of the spike, by author key even when the handle changes", () => {
    const rows: ExplainMention[] = Array.from({ length: 10 }, (_, i) => ({
      id: i,
      text: `Post ${i}: ${["calls", "letters", "threats", "fees", "lies"][i % 5]} from Acme again`,
      author: i < 7 ? (i % 2 ? "Loud" : "loud_renamed") : `other${i}`,
      authorKey: i < 7 ? "ak-loud" : `ak-${i}`,
      contentHash: `c${i}`,
    }));
    expect(concentrationOf(rows)).toMatchObject({ kind: "one_author", topAuthor: { count: 7, share: 0.7 } });
  });

  it("calls many different voices a wave, and says what they write about", () => {
    const e = explainSpike(spike(), baseline(), { baselineHours: 28 });
    expect(e.concentration?.kind).toBe("wave");
  });

  it("needs a few repeats before it calls anything a storm", () => {
    const two: ExplainMention[] = [
      { id: 1, text: "same text", contentHash: "h" },
      { id: 2, text: "same text", contentHash: "h" },
    ];
    expect(concentrationOf(two).kind).toBe("wave");
  });
});

describe("helpers", () => {
  it("tokenizes into content unigrams and bigrams, skipping masks, handles and links", () => {
    const terms = termsOf("@acme Call me at [PHONE] about the Payment Portal https://a.example/x #fail");
    expect([...terms].sort()).toEqual(["call", "payment", "payment portal", "portal"]);
  });

  it("normalizes links", () => {
    expect(normalizeLink("https://WWW.Example.com/a/?utm_medium=x&id=3#top")).toBe("example.com/a?id=3");
    expect(normalizeLink("javascript:alert(1)")).toBeNull();
    expect(normalizeLink("not a url")).toBeNull();
  });
});
