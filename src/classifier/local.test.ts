import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CATEGORIES } from "../domain/taxonomy.js";
import { escalationReason } from "./hybrid.js";
import { LocalEngine } from "./local.js";
import {
  DEFAULT_TRAIN_CONFIG,
  loadDataset,
  loadJsonlRows,
  SOCIAL_TEST_PATH,
  trainModels,
} from "./training.js";

const engine = new LocalEngine();

describe("local engine on short social posts", () => {
  it.each([
    ["@CollectCo this isn't my debt, never had an account with them", "debt_not_owed"],
    ["they call me 10 times a day, stop calling me", "communication_tactics"],
    ["they threatened to sue me and garnish my wages", "legal_threats"],
    ["they called my boss at work about my debt", "privacy"],
    ["thank you @CollectCo, the agent was so kind and helpful with my plan", "praise"],
    ["anyone want to grab tacos tonight?", "not_collections"],
  ])("%s → %s", async (text, category) => {
    const [out] = await engine.classify([{ id: "x", text }]);
    expect(out?.category).toBe(category);
    expect(out?.relevant).toBe(category !== "not_collections");
  });

  // Without a collections word a payment-portal complaint reads like any company's (the narratives' "payment" is a
  // card or a mortgage): the local engine is unsure, and the hybrid band sends it to Claude instead of guessing.
  it("leaves a payment-portal complaint with no collections word to Claude", () => {
    const local = engine.classifyOne({
      id: "p",
      text: "your payment portal is down again, can't make my payment",
    });
    expect(escalationReason(local)).toBe("uncertain_relevance");
    expect(
      engine.classifyOne({
        id: "q",
        text: "@CollectCo your payment portal is down again, can't make my payment to the collections team",
      }).category,
    ).toBe("payment_service");
  });

  it("gets most of the held-out hand-written posts right", () => {
    const rows = loadJsonlRows(SOCIAL_TEST_PATH);
    const correct = rows.filter(
      (r) => engine.classifyOne({ id: r.id, text: r.text }).category === r.category,
    ).length;
    expect(correct / rows.length).toBeGreaterThanOrEqual(0.8);
  });

  it.each([
    ["my lawyer will be in touch", "attorney", "critical"],
    ["I'm filing bankruptcy", "bankruptcy", null],
    ["stop calling me", "cease_contact", "high"],
    ["this isn't my debt", "dispute", "high"],
  ] as const)("flags %s with %s", async (text, flag, severity) => {
    const [out] = await engine.classify([{ id: "x", text }]);
    expect(out?.flags).toContain(flag);
    if (severity) expect(out?.severity).toBe(severity);
  });

  it("raises severity with reach and masks PII in the text it returns", async () => {
    const [quiet, loud] = await engine.classify([
      { id: "a", text: "they keep calling me about a debt, so annoying", reach: 10 },
      { id: "b", text: "they keep calling me about a debt, so annoying", reach: 250_000 },
    ]);
    expect(loud?.severity).toBe("critical");
    expect(quiet?.severity).not.toBe("critical");
    const [withPii] = await engine.classify([
      { id: "c", text: "collector keeps calling 555-123-4567, SSN 123-45-6789 is on their letter" },
    ]);
    expect(withPii?.maskedText).toBe("collector keeps calling [PHONE], SSN [SSN] is on their letter");
    expect(withPii?.flags).toContain("pii");
  });

  it("returns one well-formed result per input, in order", async () => {
    const out = await engine.classify([
      { id: "1", text: "hello" },
      { id: "2", text: "" },
      { id: "3", text: "🙂🙂🙂" },
    ]);
    expect(out.map((o) => o.id)).toEqual(["1", "2", "3"]);
    for (const o of out) {
      expect(CATEGORIES).toContain(o.category);
      expect(o.confidence).toBeGreaterThanOrEqual(0);
      expect(o.confidence).toBeLessThanOrEqual(1);
      expect(o.sentiment).toBeGreaterThanOrEqual(-1);
      expect(o.sentiment).toBeLessThanOrEqual(1);
      expect(o.engine).toBe("local");
    }
  });
});

describe("local engine on long complaint narratives", () => {
  it("recognizes a debt-collection narrative and a credit-card one", async () => {
    const [collections, card] = await engine.classify([
      {
        id: "n1",
        text: "I received a collection letter from XXXX for a medical debt of {$850.00}. I have never been a patient at this hospital and this is not my debt. I sent a letter disputing it and asked them to validate the debt, but they never responded and instead reported it to the credit bureaus. They keep calling me several times a day.",
      },
      {
        id: "n2",
        text: "I opened a rewards credit card in XX/XX/2022 and was promised 60,000 bonus points after spending {$4000.00} in the first three months. I met the spending requirement, but the bank never posted the bonus points to my account and customer service keeps telling me to wait another statement cycle.",
      },
    ]);
    expect(collections?.relevant).toBe(true);
    expect(collections?.flags).toContain("dispute");
    expect(card?.category).toBe("not_collections");
  });
});

describe("training", () => {
  function tinyDataDir(): { dir: string; seed: string } {
    const dir = mkdtempSync(join(tmpdir(), "rapport-train-"));
    const rows = (prefix: string, texts: string[], extra: Record<string, unknown>) =>
      texts.map((text, i) => JSON.stringify({ id: `${prefix}${i}`, text, ...extra })).join("\n");
    const labelled = [
      ["not my debt, I never had this account", "debt_not_owed"],
      ["the debt was already paid in full", "debt_not_owed"],
      ["this debt is the result of identity theft", "debt_not_owed"],
      ["they never sent a validation notice", "written_notice"],
      ["I asked for verification of the debt in writing", "written_notice"],
      ["they call me many times every day", "communication_tactics"],
      ["the collector calls at 6am and yells", "communication_tactics"],
      ["the amount they want is wrong", "false_statements"],
      ["he pretended to be a police officer", "false_statements"],
      ["they threatened to sue and garnish my wages", "legal_threats"],
      ["they said they would ruin my credit", "legal_threats"],
      ["they told my employer about my debt", "privacy"],
    ];
    writeFileSync(
      join(dir, "cfpb_debt_collection_labelled.jsonl"),
      labelled
        .map(([text, category], i) => JSON.stringify({ id: `l${i}`, text, category, relevant: true }))
        .join("\n"),
    );
    writeFileSync(
      join(dir, "cfpb_debt_collection_unlabelled.jsonl"),
      rows(
        "u",
        [
          "collector keeps calling me",
          "not my debt at all",
          "they threatened to sue",
          "no validation letter",
        ],
        { relevant: true },
      ),
    );
    writeFileSync(
      join(dir, "cfpb_other_products.jsonl"),
      rows(
        "o",
        ["my mortgage payment went up", "credit card fees", "bank account closed", "student loan servicer"],
        {
          category: "not_collections",
          relevant: false,
        },
      ),
    );
    writeFileSync(
      join(dir, "cdcp_rulemaking_comments.jsonl"),
      rows("c", ["collectors should be regulated"], {}),
    );
    const seed = join(dir, "seed.jsonl");
    writeFileSync(seed, rows("s", ["thanks for the help"], { category: "praise", relevant: true }));
    return { dir, seed };
  }

  it("writes the same bytes on every run, and different bytes for a different seed", () => {
    const { dir, seed } = tinyDataDir();
    const config = { ...DEFAULT_TRAIN_CONFIG, bits: 10, epochs: 3, testShare: 0.25 };
    const run = (s: number) =>
      JSON.stringify(trainModels(loadDataset(dir, seed), { ...config, seed: s }).bundle);
    const first = run(7);
    expect(run(7)).toBe(first);
    expect(run(8)).not.toBe(first);
    expect(JSON.parse(first).trainedOn.labelled).toBeGreaterThan(0);
  });

  it("takes reviewer corrections as extra training rows and lets them move the model", () => {
    const { dir, seed } = tinyDataDir();
    const config = { ...DEFAULT_TRAIN_CONFIG, bits: 10, epochs: 3, testShare: 0.25 };
    const text = "the zorblax portal ate my payment";
    const reviewed = Array.from({ length: 6 }, (_, i) => ({
      id: `r${i}`,
      text,
      category: "payment_service" as const,
    }));
    const without = trainModels(loadDataset(dir, seed), config);
    const withLabels = trainModels({ ...loadDataset(dir, seed), reviewed }, config);
    expect(withLabels.bundle.trainedOn.reviewed).toBe(6);
    const score = (m: typeof without) =>
      m.model.categoryScores(text).find((s) => s.label === "payment_service")?.probability ?? 0;
    expect(score(withLabels)).toBeGreaterThan(score(without));
  });
});
