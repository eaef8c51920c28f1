// Normalize → mask → hash → brand-match → classify: everything about a page that needs no database.
import { createHash, createHmac } from "node:crypto";
import type { NormalizedMention } from "../../connectors/types.js";
import { brandsForMention } from "../domain/brands.js";
import { contentKey } from "../domain/content.js";
import { withSourceFlags } from "../domain/criticality.js";
import { maskFor } from "../domain/masking.js";
import type { Classification, Flag } from "../domain/taxonomy.js";
import type { MentionClassifier } from "./types.js";

/**
 * The most text one mention keeps. The longest real complaint narratives run to about 25,000 characters; anything
 * longer is cut here, before any pattern reads it, and says so in its own text, so a person sees it was cut.
 */
export const MAX_MENTION_CHARS = 32_000;

/** Cuts an over-long mention to MAX_MENTION_CHARS, visibly; the raw payload, which holds the same text, is dropped. */
export function limitMentionSize(mention: NormalizedMention): NormalizedMention {
  if (mention.text.length <= MAX_MENTION_CHARS) return mention;
  const total = mention.text.length.toLocaleString("en-US");
  return {
    ...mention,
    text: `${mention.text.slice(0, MAX_MENTION_CHARS)} … [cut by Rapport: the post has ${total} characters; the first ${MAX_MENTION_CHARS.toLocaleString("en-US")} are kept]`,
    raw: { note: `raw payload not kept: the post had ${total} characters` },
  };
}

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
  /** The workspace's creditor clients, masked (with the poster's names) in what Claude is sent. */
  clientNames?: readonly string[];
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
  const withText = items.filter((m) => m.text.trim().length > 0 || m.rating != null).map(limitMentionSize);
  const classifications = ctx.classifier
    ? await ctx.classifier.classify(
        withText.map((m, i) => ({
          id: String(i),
          text: m.text,
          ...(m.reach != null ? { reach: m.reach } : {}),
          maskContext: { names: [m.authorName, m.authorHandle], clients: ctx.clientNames ?? [] },
        })),
      )
    : [];
  return withText.map((mention, i) => {
    const classified = classifications[i];
    const classification = classified ? withSourceFlags(classified, (mention.flags ?? []) as Flag[]) : null;
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
