// "Done, next": the mention after this one in the list the person opened it from (the feed's filters and sort,
// near-duplicate groups once), found as the list's next page would be: a keyset cursor at this mention's own sort
// key. The mention just decided may have left the list (a dismissal under status=new): its key still places it.
import { and, eq } from "drizzle-orm";
import type { AuthUser } from "../../auth/types.js";
import { mentions, sources } from "../../db/schema/index.js";
import type { Deps } from "../../deps.js";
import { encodeCursor } from "./cursor.js";
import { SEVERITY_ORDER } from "./list-by-severity.js";
import { listMentions } from "./list-mentions.js";
import { listMentionsQuerySchema } from "./schemas.js";

/** The list's query string as the feed page passes it on: its filters and sort, without a page or a notice. */
export function listQueryOf(search: URLSearchParams): string {
  const kept = new URLSearchParams(search);
  for (const transient of ["next", "undo", "undone", "said", "from"]) kept.delete(transient);
  return kept.toString();
}

/** The next mention's id, or null at the end of the list (or for a list that no longer parses). */
export async function nextInList(
  deps: Deps,
  viewer: AuthUser,
  mentionId: number,
  from: string,
): Promise<number | null> {
  const parsed = listMentionsQuerySchema.safeParse(Object.fromEntries(new URLSearchParams(from)));
  if (!parsed.success) return null;
  const [current] = await deps.db
    .select({ createdAt: mentions.createdAt, slaDueAt: mentions.slaDueAt, severity: mentions.severity })
    .from(mentions)
    .innerJoin(sources, eq(sources.id, mentions.sourceId))
    .where(and(eq(mentions.id, mentionId), eq(sources.workspaceId, viewer.workspaceId)));
  if (!current) return null;
  const sort = parsed.data.sort || "newest";
  let cursor: string | undefined;
  if (sort === "sla")
    cursor = current.slaDueAt ? encodeCursor([current.slaDueAt.getTime(), mentionId]) : undefined;
  else if (sort === "severity") {
    const rank = SEVERITY_ORDER.indexOf((current.severity ?? null) as (typeof SEVERITY_ORDER)[number]);
    cursor = encodeCursor([Math.max(0, rank), current.createdAt.getTime(), mentionId]);
  } else cursor = encodeCursor([current.createdAt.getTime(), mentionId]);
  const { items } = await listMentions(deps, viewer, {
    ...parsed.data,
    grouped: "true",
    limit: 2,
    ...(cursor ? { next: cursor } : {}),
  });
  return items.find((item) => item.id !== mentionId)?.id ?? null;
}
