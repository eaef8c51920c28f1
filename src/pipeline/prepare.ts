// Normalize → mask → hash → brand-match → classify: everything about a page that needs no database.
import { createHash, createHmac } from "node:crypto";
import type { NormalizedMention } from "../../connectors/types.js";
import { brandsForMention } from "../domain/brands.js";
import { contentKey } from "../domain/content.js";
import { maskFor } from "../domain/masking.js";
import type { Classification } from "../domain/taxonomy.js";
import type { MentionClassifier } from "./types.js";

const CRITICAL_FLAGS = new Set<string>(["self_harm", "attorney", "regulator"]);

export interface PreparedMention {
  mention: NormalizedMention;
  textMasked: string;
  contentHash: string;
  authorKey: string | null;
  brandIds: number[];
  classification: (Classification & { engine: string; version: string }) | null;
}

export interface PrepareContext {
  sourceType: string;
  sourceBrandId: number | null;
  matchBrands: (text: string) => number[];
  secret: string;
  classifier?: MentionClassifier;
}

export function contentHash(text: string): string {
  return createHash("sha256").update(contentKey(text)).digest("hex").slice(0, 32);
}

/** A keyed hash of the author's platform identity: links their mentions without storing a profile. */
export function authorKey(secret: string, sourceType: string, mention: NormalizedMention): string | null {
  const identity = mention.authorId ?? mention.authorHandle?.toLowerCase().replace(/^@/, "");
  if (!identity) return null;
  return createHmac("sha256", secret).update(`author:${sourceType}:${identity}`).digest("hex").slice(0, 32);
}

export async function prepareMentions(
  items: NormalizedMention[],
  ctx: PrepareContext,
): Promise<PreparedMention[]> {
  // Authors repeat within a page (threads, regulars): key each identity once.
  const authorKeys = new Map<string, string | null>();
  const keyFor = (mention: NormalizedMention) => {
    const identity = `${mention.authorId ?? ""}\u0000${mention.authorHandle ?? ""}`;
    let key = authorKeys.get(identity);
    if (key === undefined) {
      key = authorKey(ctx.secret, ctx.sourceType, mention);
      authorKeys.set(identity, key);
    }
    return key;
  };
  // A review with stars but no words is still a signal (and a reply target); any other empty entry is noise.
  const withText = items.filter((m) => m.text.trim().length > 0 || m.rating != null);
  const classifications = ctx.classifier
    ? await ctx.classifier.classify(
        withText.map((m, i) => ({
          id: String(i),
          text: m.text,
          ...(m.reach != null ? { reach: m.reach } : {}),
        })),
      )
    : [];
  return withText.map((mention, i) => {
    const classification = classifications[i] ?? null;
    if (classification && mention.flags?.length) {
      // Flags a source knows for certain (every CFPB complaint is `regulator`) join the model's, and raise
      // severity the way the classifier would have had it seen them.
      classification.flags = [
        ...new Set([...classification.flags, ...mention.flags]),
      ] as Classification["flags"];
      if (classification.flags.some((f) => CRITICAL_FLAGS.has(f))) classification.severity = "critical";
    }
    return {
      mention,
      // The classifier already masked the text it read; mask here only when it did not.
      textMasked: classification?.maskedText ?? maskFor("stored", mention.text),
      contentHash: contentHash(mention.text),
      authorKey: keyFor(mention),
      brandIds: brandsForMention(ctx.matchBrands(mention.text), ctx.sourceBrandId),
      classification,
    };
  });
}
