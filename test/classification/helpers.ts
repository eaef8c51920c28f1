// Mentions stored the way ingest stores them (prepare → storePage), with or without a classifier.
import type { AuthUser } from "../../src/auth/types.js";
import { sources, users } from "../../src/db/schema/index.js";
import type { Classification } from "../../src/domain/taxonomy.js";
import { loadIngestContext } from "../../src/pipeline/context.js";
import { prepareMentions } from "../../src/pipeline/prepare.js";
import type { Router } from "../../src/pipeline/route.js";
import { storePage } from "../../src/pipeline/store.js";
import type { MentionClassifier } from "../../src/pipeline/types.js";
import type { EngineResult, ReclassifyClassifier } from "../../src/services/classification/reclassify.js";
import type { TestDeps } from "../helpers/deps.js";

export const TEXTS = [
  "@AcmeRecovery this isn't my debt, I never had an account with that company. Stop sending me letters",
  "Acme Recovery calls me 6 times a day and called my mother about my bill",
  "Acme Collections threatened to garnish my wages and sue me next week",
  "The Acme Recovery agent was kind and set up a plan I can afford, thank you",
  "Acme Recovery never sent me a validation notice, how do I know this is real",
  "Their payment portal keeps failing, Acme Recovery won't apply my payment",
  "Great weather today, going to the beach with the kids",
  "Acme Recovery said I'd be arrested if I don't pay by Friday",
];

export async function addSource(deps: TestDeps, name: string) {
  const [source] = await deps.db
    .insert(sources)
    .values({ workspaceId: deps.workspaceId, brandId: deps.companyBrandId, name, type: "file" })
    .returning();
  return source!;
}

/** Stores texts as one page; returns the new mention ids in input order. */
export async function storeTexts(
  deps: TestDeps,
  source: Awaited<ReturnType<typeof addSource>>,
  texts: string[],
  options: {
    classifier?: MentionClassifier;
    createdAt?: Date;
    prefix?: string;
    authorHandle?: string;
    routers?: Router[];
  } = {},
): Promise<number[]> {
  const ctx = await loadIngestContext(
    { ...deps, ...(options.classifier ? { classifier: options.classifier } : {}) },
    source,
  );
  const createdAt = options.createdAt ?? new Date("2026-11-20T10:00:00Z");
  const prepared = await prepareMentions(
    texts.map((text, i) => ({
      externalId: `${options.prefix ?? "m"}-${i}`,
      text,
      createdAt,
      ...(options.authorHandle ? { authorHandle: options.authorHandle } : {}),
    })),
    ctx.prepare,
  );
  const result = await storePage(deps.database, prepared, {
    sourceId: source.id,
    now: deps.now(),
    brandSla: ctx.brandSla,
    ...(options.routers ? { routers: options.routers } : {}),
  });
  return result.inserted.map((m) => m.id);
}

/** Ingest with a classifier that calls everything praise: what a broken or outdated model would store. */
export const everythingPraise: MentionClassifier = {
  async classify(items) {
    return items.map(() => ({
      category: "praise",
      relevant: true,
      severity: "low",
      flags: [],
      sentiment: 0.5,
      confidence: 0.9,
      engine: "local",
      version: "old-model-0",
    }));
  },
};

/** Wraps a classifier, recording every text it was asked about; optionally fails on one call. */
export function recording(inner: ReclassifyClassifier, failOnCall?: number) {
  const seen: string[] = [];
  let calls = 0;
  const classifier: ReclassifyClassifier = {
    version: inner.version,
    async classify(items) {
      calls++;
      if (calls === failOnCall) throw new Error("classifier went away");
      seen.push(...items.map((i) => i.id));
      return inner.classify(items);
    },
  };
  return { classifier, seen, calls: () => calls };
}

export function fixed(result: Partial<Classification>, version = "fixed-1"): ReclassifyClassifier {
  return {
    version,
    async classify(items): Promise<EngineResult[]> {
      return items.map((item) => ({
        id: item.id,
        category: "communication_tactics",
        relevant: true,
        severity: "high",
        flags: [],
        sentiment: -0.5,
        confidence: 0.8,
        ...result,
        engine: "local",
        version,
      }));
    },
  };
}

export async function addReviewer(deps: TestDeps): Promise<AuthUser> {
  const [user] = await deps.db
    .insert(users)
    .values({
      workspaceId: deps.workspaceId,
      email: "reviewer@example.com",
      name: "Rita Reviewer",
      role: "manager",
    })
    .returning();
  return {
    id: user!.id,
    workspaceId: deps.workspaceId,
    email: user!.email,
    name: user!.name,
    role: "manager",
  };
}
