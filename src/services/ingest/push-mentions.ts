// `POST /api/ingest/<source>`: other tools push mentions (BBB, Glassdoor, app-store monitors). Each item is
// validated like a file row; good items are stored through the same prepare → store path as polling, bad
// ones are reported by index with the reason. Re-sending the same ids stores nothing twice.
import { and, eq } from "drizzle-orm";
import { fileRowSchema } from "../../../connectors/file.js";
import type { NormalizedMention } from "../../../connectors/types.js";
import { safeEqual, sha256 } from "../../auth/tokens.js";
import { sources } from "../../db/schema/index.js";
import type { Deps } from "../../deps.js";
import { AppError, badRequest } from "../../errors.js";
import { loadIngestContext } from "../../pipeline/context.js";
import { ingestPage } from "../../pipeline/ingest.js";

export const MAX_PUSH_ITEMS = 1_000;

export interface PushResult {
  accepted: number;
  duplicates: number;
  rejected: { index: number; error: string }[];
}

export async function authenticatePushSource(deps: Deps, name: string, token: string | undefined) {
  // Names are unique within a workspace, not across them: the token says whose source this is, so every push
  // source of that name is a candidate and the one whose token matches is the one (another workspace's source of
  // the same name neither blocks nor receives this push).
  const candidates = await deps.db
    .select()
    .from(sources)
    .where(and(eq(sources.name, name), eq(sources.type, "webhook")));
  const presented = token ? sha256(token) : null;
  const source = presented
    ? candidates.find((s) => s.ingestTokenHash && safeEqual(presented, s.ingestTokenHash))
    : undefined;
  // Same answer for an unknown source and a wrong token: the endpoint does not reveal which sources exist.
  if (!source) {
    throw new AppError(
      "unauthorized",
      "Unknown push source or wrong token (Authorization: Bearer <source token>)",
    );
  }
  if (!source.enabled) throw new AppError("forbidden", `source "${name}" is disabled`);
  return source;
}

export async function pushMentions(
  deps: Deps,
  source: typeof sources.$inferSelect,
  body: unknown,
): Promise<PushResult> {
  const items = Array.isArray(body)
    ? body
    : body && typeof body === "object" && Array.isArray((body as { mentions?: unknown }).mentions)
      ? (body as { mentions: unknown[] }).mentions
      : body && typeof body === "object"
        ? [body]
        : null;
  if (!items) throw badRequest('send a JSON mention, an array of them, or {"mentions":[…]}');
  if (items.length > MAX_PUSH_ITEMS)
    throw badRequest(`at most ${MAX_PUSH_ITEMS} mentions per request (got ${items.length})`);

  const now = deps.now();
  const result: PushResult = { accepted: 0, duplicates: 0, rejected: [] };
  const good: NormalizedMention[] = [];
  items.forEach((item, index) => {
    const parsed = fileRowSchema.safeParse(item);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      result.rejected.push({ index, error: `\`${issue.path.join(".") || "item"}\` ${issue.message}` });
      return;
    }
    const row = parsed.data;
    good.push({
      externalId: row.id,
      text: row.text,
      authorHandle: row.author || null,
      authorName: row.author || null,
      url: row.url || null,
      createdAt: row.created_at ?? now,
      rating: row.rating,
      threadId: row.id,
      raw: item,
    });
  });
  if (good.length > 0) {
    const ingest = await loadIngestContext(deps, source);
    const stored = await ingestPage(deps, ingest, good, { sourceId: source.id, now });
    result.accepted = stored.inserted.length;
    result.duplicates = stored.duplicates;
  }
  await deps.db
    .update(sources)
    .set({ lastRunAt: now, lastSuccessAt: now, lastItems: result.accepted, health: "ok", lastError: null })
    .where(eq(sources.id, source.id));
  return result;
}
