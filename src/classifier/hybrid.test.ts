import { afterEach, describe, expect, it } from "vitest";
import { contentHash, MemoryClassificationCache } from "./cache.js";
import { ClaudeEngine } from "./claude.js";
import { DEFAULT_POLICY, escalationReason, HybridEngine } from "./hybrid.js";
import { LocalEngine } from "./local.js";
import {
  type FakeAnthropic,
  type MessagesHandler,
  mentionOf,
  startFakeAnthropic,
  toolUseMessage,
} from "./testing/fake-anthropic.js";

const claudeSays = {
  category: "legal_threats",
  relevant: true,
  severity: "critical",
  flags: ["attorney"],
  sentiment: -0.7,
  confidence: 0.95,
};

let server: FakeAnthropic | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const local = new LocalEngine();

async function hybridWith(handler: MessagesHandler, errors: string[] = []) {
  server = await startFakeAnthropic(handler);
  const claude = new ClaudeEngine({
    apiKey: "k",
    model: "claude-test",
    baseURL: server.baseURL,
    maxRetries: 0,
    batchPollIntervalMs: 5,
  });
  const cache = new MemoryClassificationCache();
  const engine = new HybridEngine(local, claude, cache, undefined, (id) => errors.push(id));
  return { engine, cache };
}

describe("HybridEngine", () => {
  it("keeps confident local answers local and sends critical posts to Claude", async () => {
    const { engine } = await hybridWith(() => ({ body: toolUseMessage(claudeSays) }));
    const [chatter, lawyer] = await engine.classify([
      { id: "1", text: "anyone want to grab tacos tonight?" },
      { id: "2", text: "@CollectCo my lawyer will be in touch about these calls" },
    ]);
    expect(chatter?.engine).toBe("local");
    expect(lawyer).toMatchObject({ engine: "claude", category: "legal_threats", severity: "critical" });
    expect(server?.requests).toHaveLength(1);
    expect(mentionOf(server?.requests[0] as never)).toContain("my lawyer will be in touch");
  });

  it("sends a text once: copies in the same call and later retweets come from the cache", async () => {
    const { engine, cache } = await hybridWith(() => ({ body: toolUseMessage(claudeSays) }));
    const text = "@CollectCo my lawyer will be in touch about these calls";
    const first = await engine.classify([
      { id: "a", text },
      { id: "b", text: `  ${text.toUpperCase()} ` },
    ]);
    expect(first.map((r) => r.engine)).toEqual(["claude", "claude"]);
    expect(server?.requests).toHaveLength(1);
    const [retweet] = await engine.classify([{ id: "c", text: `RT @someone: ${text}`, reach: 50_000 }]);
    expect(retweet).toMatchObject({ id: "c", engine: "claude", severity: "critical" });
    expect(server?.requests).toHaveLength(1);
    expect(engine.stats).toMatchObject({ sentToClaude: 1, cacheHits: 1 });
    expect(await cache.get(contentHash(text))).toMatchObject({ category: "legal_threats" });
  });

  it("falls back to the local answer when Claude's output is malformed", async () => {
    const errors: string[] = [];
    const { engine } = await hybridWith(() => ({ body: toolUseMessage({ category: "whatever" }) }), errors);
    const [out] = await engine.classify([{ id: "x", text: "my lawyer will be in touch" }]);
    expect(out?.engine).toBe("local");
    expect(out?.flags).toContain("attorney");
    expect(errors).toEqual(["x"]);
    expect(engine.stats.claudeFailures).toBe(1);
  });

  it("uses the Batches API for backfills", async () => {
    const { engine } = await hybridWith((request) =>
      mentionOf(request).includes("lawyer")
        ? { body: toolUseMessage(claudeSays) }
        : { body: toolUseMessage({ ...claudeSays, category: "regulator" }) },
    );
    const out = await engine.classifyBatch([
      { id: "1", text: "great pizza tonight" },
      { id: "2", text: "my lawyer will be in touch" },
      { id: "3", text: "filed a complaint with the CFPB about these collectors" },
    ]);
    expect(server?.batchCreates).toBe(1);
    expect(out.map((r) => r.engine)).toEqual(["local", "claude", "local"]);
  });

  it("escalates on critical severity or uncertainty only", () => {
    expect(
      escalationReason(local.classifyOne({ id: "1", text: "I want to end my life, these calls never stop" })),
    ).toBe("critical");
    expect(
      escalationReason(local.classifyOne({ id: "2", text: "happy birthday to my best friend!" })),
    ).toBeNull();
  });

  it("keeps a critical text the model is sure is not about collections local, and sends the doubtful ones", () => {
    const critical = (relevant: boolean, relevantProbability: number) => ({
      severity: "critical" as const,
      prediction: { relevant, relevantProbability, categoryProbability: relevant ? 0.95 : 1 },
    });
    const policy = {
      ...DEFAULT_POLICY,
      relevanceBand: [0.4, 0.6] as [number, number],
      criticalMinRelevance: 0.1,
    };
    expect(escalationReason(critical(false, 0.02), policy)).toBeNull();
    expect(escalationReason(critical(false, 0.12), policy)).toBe("critical");
    expect(escalationReason(critical(true, 0.9), policy)).toBe("critical");
    expect(escalationReason({ ...critical(true, 0.9), severity: "high" }, policy)).toBeNull();
  });
});
