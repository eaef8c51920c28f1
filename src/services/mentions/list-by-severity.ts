// The feed sorted "most severe first": critical, high, medium, low, then unclassified, newest first within each.
// No index leads with severity, and sorting a million rows by it would take a second, so each level is read on
// its own, newest first along `mentions_created` (which holds the severity: the level is tested in the index,
// no row read), until the page is full. The cursor says which level and where in it the page stopped.
import { and, type SQL, sql } from "drizzle-orm";
import { mentions } from "../../db/schema/index.js";
import { SEVERITIES, type Severity } from "../../domain/taxonomy.js";
import { decodeCursor, encodeCursor } from "./cursor.js";
import type { ListMentionsResult, MentionListItem } from "./list-mentions.js";

/** Most severe first; null (not classified yet) last. */
export const SEVERITY_ORDER: (Severity | null)[] = [...[...SEVERITIES].reverse(), null];

type SelectPage = (opts: { where: SQL; orderBy: SQL; limit: number }) => Promise<MentionListItem[]>;

export async function listBySeverity(opts: {
  conds: SQL[];
  cursor: string | undefined;
  limit: number;
  selectPage: SelectPage;
}): Promise<ListMentionsResult> {
  let level = 0;
  let after: [number, number] | null = null;
  if (opts.cursor) {
    const [rank, createdAt, id] = decodeCursor(opts.cursor, 3) as [number, number, number];
    level = Math.max(0, Math.min(SEVERITY_ORDER.length - 1, rank));
    after = [createdAt, id];
  }
  const items: MentionListItem[] = [];
  const levels: number[] = [];
  for (; level < SEVERITY_ORDER.length && items.length <= opts.limit; level++) {
    const severity = SEVERITY_ORDER[level];
    const conds = [
      ...opts.conds,
      severity === null ? sql`${mentions.severity} IS NULL` : sql`${mentions.severity} = ${severity}`,
    ];
    if (after) conds.push(sql`(${mentions.createdAt}, ${mentions.id}) < (${after[0]}, ${after[1]})`);
    after = null;
    const page = await opts.selectPage({
      where: and(...conds)!,
      orderBy: sql`${mentions.createdAt} DESC, ${mentions.id} DESC`,
      limit: opts.limit + 1 - items.length,
    });
    items.push(...page);
    levels.push(...page.map(() => level));
  }
  const hasMore = items.length > opts.limit;
  const shown = items.slice(0, opts.limit);
  const last = shown[shown.length - 1];
  const next =
    hasMore && last ? encodeCursor([levels[shown.length - 1]!, Date.parse(last.createdAt), last.id]) : null;
  return { items: shown, next };
}
