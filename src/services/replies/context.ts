// What every reply operation needs to know about a mention: where it was posted, who signs the reply, which
// names the linter must refuse (the client roster), and whether the thread already has a public answer.
import { and, asc, eq, inArray, isNotNull, ne, sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { accounts, brands, mentionBrands, mentions, replies, sources } from "../../db/schema/index.js";
import type { LintContext } from "../../domain/compliance/lint.js";
import type { Platform } from "../../domain/taxonomy.js";
import { badRequest, notFound } from "../../errors.js";

/** The platform whose rules (length, weighting) a reply on this source follows. */
export function platformForSource(sourceType: string): Platform {
  switch (sourceType) {
    case "x":
    case "google":
    case "facebook":
    case "trustpilot":
    case "reddit":
      return sourceType;
    case "instagram":
      return "facebook"; // Meta's comment rules; Instagram has no separate limit the linter knows
    default:
      return "generic";
  }
}

export interface ReplyMention {
  id: number;
  workspaceId: number;
  sourceId: number;
  sourceType: string;
  sourceName: string;
  sourceBrandId: number | null;
  sourceConfig: Record<string, unknown>;
  postingEnabled: boolean;
  dryRun: boolean;
  externalId: string;
  url: string | null;
  text: string;
  textMasked: string;
  authorHandle: string | null;
  authorName: string | null;
  authorKey: string | null;
  threadId: string | null;
  replyTarget: string | null;
  status: string;
  category: string | null;
  flags: string[];
  sentiment: number | null;
  createdAt: Date;
  firstResponseAt: Date | null;
  meta: Record<string, unknown>;
}

export async function loadReplyMention(
  db: Db,
  workspaceId: number,
  mentionId: number,
): Promise<ReplyMention> {
  const [row] = await db
    .select({
      id: mentions.id,
      workspaceId: sources.workspaceId,
      sourceId: sources.id,
      sourceType: sources.type,
      sourceName: sources.name,
      sourceBrandId: sources.brandId,
      sourceConfig: sources.config,
      postingEnabled: sources.postingEnabled,
      dryRun: sources.dryRun,
      externalId: mentions.externalId,
      url: mentions.url,
      text: mentions.text,
      textMasked: mentions.textMasked,
      authorHandle: mentions.authorHandle,
      authorName: mentions.authorName,
      authorKey: mentions.authorKey,
      threadId: mentions.threadId,
      replyTarget: mentions.replyTarget,
      status: mentions.status,
      category: mentions.category,
      flags: mentions.flags,
      sentiment: mentions.sentiment,
      createdAt: mentions.createdAt,
      firstResponseAt: mentions.firstResponseAt,
      meta: mentions.meta,
    })
    .from(mentions)
    .innerJoin(sources, eq(sources.id, mentions.sourceId))
    .where(and(eq(mentions.id, mentionId), eq(sources.workspaceId, workspaceId)))
    .limit(1);
  if (!row) throw notFound("Mention");
  return row;
}

/** One public reply per thread: the key the partial unique index on `replies` enforces. */
export function threadKeyOf(
  mention: Pick<ReplyMention, "sourceId" | "threadId" | "replyTarget" | "externalId">,
): string {
  return `${mention.sourceId}:${mention.threadId ?? mention.replyTarget ?? mention.externalId}`;
}

/** A reply the company already left on the platform (seen by the connector) counts as the thread's one reply. */
export function platformAlreadyAnswered(meta: Record<string, unknown>): boolean {
  return Boolean(meta.ownerReply || meta.companyReply);
}

export async function threadHasPublicReply(
  db: Db,
  mention: ReplyMention,
  exceptReplyId?: number,
): Promise<boolean> {
  if (platformAlreadyAnswered(mention.meta)) return true;
  // A reply `posting` may already be public (an interrupted API post): it counts until a person has checked.
  const [posted] = await db
    .select({ id: replies.id })
    .from(replies)
    .where(
      and(
        eq(replies.threadKey, threadKeyOf(mention)),
        inArray(replies.status, ["posted", "posting"]),
        exceptReplyId === undefined ? undefined : ne(replies.id, exceptReplyId),
      ),
    )
    .limit(1);
  return Boolean(posted);
}

export interface BrandVoice {
  brandId: number;
  brandName: string;
  ownContacts: string[];
  /** Creditor clients (client brands and the creditors named on imported accounts): never named in public. */
  clients: string[];
}

async function clientRoster(db: Db, workspaceId: number): Promise<string[]> {
  const clientBrands = await db
    .select({ name: brands.name })
    .from(brands)
    .where(and(eq(brands.workspaceId, workspaceId), eq(brands.kind, "client")));
  const accountClients = await db
    .selectDistinct({ client: accounts.client })
    .from(accounts)
    .where(and(eq(accounts.workspaceId, workspaceId), isNotNull(accounts.client)));
  const names = [...clientBrands.map((b) => b.name), ...accountClients.map((a) => a.client ?? "")];
  return [...new Set(names.map((n) => n.trim()).filter(Boolean))];
}

/**
 * The brand that signs a reply: the company itself (a reply never speaks as, or names, a client). `brandRef` may
 * be an id, a slug or a name; without it the mention's company brand, else the workspace's first company brand.
 */
export async function brandVoice(
  db: Db,
  workspaceId: number,
  options: { brandRef?: string | number | null; mentionId?: number; sourceBrandId?: number | null } = {},
): Promise<BrandVoice> {
  const all = await db
    .select()
    .from(brands)
    .where(eq(brands.workspaceId, workspaceId))
    .orderBy(asc(brands.id));
  let brand: (typeof all)[number] | undefined;
  const ref = options.brandRef;
  if (ref !== undefined && ref !== null && ref !== "") {
    const text = String(ref).trim().toLowerCase();
    brand = all.find((b) => String(b.id) === text || b.slug === text || b.name.toLowerCase() === text);
    if (!brand) throw badRequest(`Unknown brand "${ref}"`);
    if (brand.kind === "client") {
      throw badRequest(
        `"${brand.name}" is a client brand: public replies are signed by the company, never a client`,
      );
    }
  }
  if (!brand && options.mentionId !== undefined) {
    const linked = await db
      .select({ brandId: mentionBrands.brandId })
      .from(mentionBrands)
      .where(eq(mentionBrands.mentionId, options.mentionId));
    const ids = new Set(linked.map((l) => l.brandId));
    brand = all.find((b) => b.kind === "company" && ids.has(b.id));
  }
  if (!brand && options.sourceBrandId)
    brand = all.find((b) => b.id === options.sourceBrandId && b.kind === "company");
  brand ??= all.find((b) => b.kind === "company");
  if (!brand) throw badRequest("The workspace has no company brand to sign replies with");
  return {
    brandId: brand.id,
    brandName: brand.name,
    ownContacts: brand.contacts,
    clients: await clientRoster(db, workspaceId),
  };
}

export function lintContextFor(
  voice: BrandVoice,
  platform: Platform,
  extra: { threadHasPublicReply?: boolean; posterUsedNames?: (string | null)[] } = {},
): LintContext {
  return {
    platform,
    brandName: voice.brandName,
    ownContacts: voice.ownContacts,
    clients: voice.clients,
    threadHasPublicReply: extra.threadHasPublicReply ?? false,
    posterUsedNames: (extra.posterUsedNames ?? []).filter((n): n is string => Boolean(n)),
  };
}

/** Mentions with at least one reply that is still open (not posted, not rejected; `posting` is open). */
export async function openReplyFor(db: Db, mentionId: number) {
  const [open] = await db
    .select()
    .from(replies)
    .where(
      and(
        eq(replies.mentionId, mentionId),
        inArray(replies.status, ["draft", "awaiting_approval", "approved", "posting"]),
      ),
    )
    .orderBy(sql`${replies.id} DESC`)
    .limit(1);
  return open ?? null;
}

/** A reply and its mention, if the mention is in the viewer's workspace. */
export async function loadReply(db: Db, workspaceId: number, replyId: number) {
  const [row] = await db.select().from(replies).where(eq(replies.id, replyId)).limit(1);
  if (!row) throw notFound("Reply");
  const mention = await loadReplyMention(db, workspaceId, row.mentionId); // also checks the workspace
  return { reply: row, mention };
}
