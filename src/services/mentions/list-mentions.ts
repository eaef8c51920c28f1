// The feed, the queue and `GET /api/mentions`: filtered, keyset-paginated, newest first (or most urgent first).
import { and, asc, desc, eq, isNull, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { can } from "../../auth/roles.js";
import type { AuthUser } from "../../auth/types.js";
import { brands, mentionBrands, mentions, sources, users } from "../../db/schema/index.js";
import type { Deps } from "../../deps.js";
import type { Category, Flag, MentionStatus, Severity } from "../../domain/taxonomy.js";
import { badRequest } from "../../errors.js";
import { decodeCursor, encodeCursor } from "./cursor.js";
import { searchTerms, toFtsQuery } from "./fts-query.js";
import type { ListMentionsQuery, MentionFilters } from "./schemas.js";

export const OPEN_STATUSES: MentionStatus[] = [
  "new",
  "triaged",
  "drafting",
  "awaiting_approval",
  "approved",
  "escalated",
];

export interface MentionListItem {
  id: number;
  source: { id: number; name: string; type: string };
  brands: { id: number; slug: string; name: string; kind: string }[];
  author: { handle: string | null; name: string | null };
  url: string | null;
  /** Unmasked only for roles allowed to see personal data. */
  text: string;
  masked: boolean;
  createdAt: string;
  status: MentionStatus;
  assignee: { id: number; email: string } | null;
  category: Category | null;
  relevant: boolean | null;
  severity: Severity | null;
  flags: Flag[];
  sentiment: number | null;
  reach: number | null;
  rating: number | null;
  slaDueAt: string | null;
  firstResponseAt: string | null;
  groupId: number | null;
  /** Near-duplicates this item stands for (only counted when `grouped`). */
  duplicates: number;
}

export interface ListMentionsResult {
  items: MentionListItem[];
  next: string | null;
}

const FTS_SCAN_THRESHOLD = 2000;

const present = <T>(value: T | "" | undefined): T | undefined => (value === "" ? undefined : value);

/** Filter conditions shared by the feed, the queue, Today and bulk "select all matching". */
export async function filterConditions(
  deps: Deps,
  viewer: AuthUser,
  filters: MentionFilters,
): Promise<SQL[]> {
  const conds: SQL[] = [eq(sources.workspaceId, viewer.workspaceId)];
  const sourceName = present(filters.source);
  if (sourceName) {
    const [source] = await deps.db
      .select({ id: sources.id })
      .from(sources)
      .where(and(eq(sources.workspaceId, viewer.workspaceId), eq(sources.name, sourceName)));
    if (!source) throw badRequest(`No source named "${sourceName}"`);
    conds.push(eq(mentions.sourceId, source.id));
  }
  const brandSlug = present(filters.brand);
  if (brandSlug) {
    const [brand] = await deps.db
      .select({ id: brands.id })
      .from(brands)
      .where(and(eq(brands.workspaceId, viewer.workspaceId), eq(brands.slug, brandSlug)));
    if (!brand) throw badRequest(`No brand with slug "${brandSlug}"`);
    conds.push(
      sql`EXISTS (SELECT 1 FROM ${mentionBrands} WHERE ${mentionBrands.mentionId} = ${mentions.id} AND ${mentionBrands.brandId} = ${brand.id})`,
    );
  }
  const category = present(filters.category);
  if (category) conds.push(eq(mentions.category, category));
  const severity = present(filters.severity);
  if (severity) conds.push(eq(mentions.severity, severity));
  const status = present(filters.status);
  if (status) conds.push(eq(mentions.status, status));
  const relevant = present(filters.relevant);
  if (relevant) conds.push(eq(mentions.relevant, relevant === "true"));
  const assignee = present(filters.assignee);
  if (assignee === "none") conds.push(isNull(mentions.assigneeId));
  else if (assignee === "me") conds.push(eq(mentions.assigneeId, viewer.id));
  else if (assignee) conds.push(eq(mentions.assigneeId, Number(assignee)));
  const flag = present(filters.flag);
  if (flag)
    conds.push(sql`EXISTS (SELECT 1 FROM json_each(${mentions.flags}) WHERE json_each.value = ${flag})`);
  const since = present(filters.since);
  if (since) conds.push(sql`${mentions.createdAt} >= ${Date.parse(since)}`);
  const until = present(filters.until);
  if (until) conds.push(sql`${mentions.createdAt} < ${Date.parse(until)}`);
  const q = present(filters.q);
  if (q) {
    const match = toFtsQuery(q);
    // Nothing searchable (only punctuation) matches nothing rather than everything.
    if (!match) conds.push(sql`0`);
    else {
      // Few matches: fetch them by rowid and sort. Many: walk the time index and test membership, which stops
      // after one page. The capped count is cheap (it reads only the terms' doclists).
      const [counted] = await deps.db.all<{ n: number }>(
        sql`SELECT count(*) AS n FROM (SELECT 1 FROM mentions_fts WHERE mentions_fts MATCH ${match} LIMIT ${FTS_SCAN_THRESHOLD})`,
      );
      const many = Number(counted?.n ?? 0) >= FTS_SCAN_THRESHOLD;
      conds.push(
        many
          ? sql`+${mentions.id} IN (SELECT rowid FROM mentions_fts WHERE mentions_fts MATCH ${match})`
          : sql`${mentions.id} IN (SELECT rowid FROM mentions_fts WHERE mentions_fts MATCH ${match})`,
      );
      // The index holds the unmasked text, so a match alone would let a viewer confirm a phone number or an
      // e-mail address. Every term must also be visible to them: in the masked text or the author's handle.
      if (!can(viewer.role, "viewPii")) {
        for (const term of searchTerms(q)) {
          conds.push(
            sql`instr(lower(coalesce(${mentions.textMasked}, '') || ' ' || coalesce(${mentions.authorHandle}, '')), ${term.toLowerCase()}) > 0`,
          );
        }
      }
    }
  }
  return conds;
}

const assignees = alias(users, "assignees");

/** Columns every list shows; `text` is chosen per viewer. */
export function listColumns(showPii: boolean) {
  return {
    id: mentions.id,
    sourceId: sources.id,
    sourceName: sources.name,
    sourceType: sources.type,
    authorHandle: mentions.authorHandle,
    authorName: mentions.authorName,
    url: mentions.url,
    text: showPii ? mentions.text : mentions.textMasked,
    createdAt: mentions.createdAt,
    status: mentions.status,
    assigneeId: mentions.assigneeId,
    assigneeEmail: assignees.email,
    category: mentions.category,
    relevant: mentions.relevant,
    severity: mentions.severity,
    flags: mentions.flags,
    sentiment: mentions.sentiment,
    reach: mentions.reach,
    rating: mentions.rating,
    slaDueAt: mentions.slaDueAt,
    firstResponseAt: mentions.firstResponseAt,
    groupId: mentions.groupId,
    // Brands and the near-duplicate count come with the row: one statement per page instead of three.
    brandsJson: sql<string>`(SELECT json_group_array(json_object('id', b.id, 'slug', b.slug, 'name', b.name, 'kind', b.kind)) FROM mention_brands AS mb JOIN brands AS b ON b.id = mb.brand_id WHERE mb.mention_id = ${mentions.id})`,
    duplicateCount: sql<number>`(SELECT count(*) FROM mentions AS d WHERE d.group_id = ${mentions.id} AND d.group_id <> d.id)`,
  };
}

type ListColumns = ReturnType<typeof listColumns>;
type ListRow = {
  [K in keyof ListColumns]:
    | (ListColumns[K] extends { _: { data: infer D } }
        ? D
        : ListColumns[K] extends { _: { type: infer T } }
          ? T
          : never)
    | null;
};

export function baseListQuery(deps: Deps, showPii: boolean) {
  return (
    deps.db
      .select(listColumns(showPii))
      .from(mentions)
      // Unary + keeps SQLite from driving the join from `sources` (then sorting every mention of the workspace):
      // mentions stay the outer loop and are read in index order, so a page stops after `limit` rows.
      .innerJoin(sources, sql`${sources.id} = +${mentions.sourceId}`)
      .leftJoin(assignees, eq(assignees.id, mentions.assigneeId))
  );
}

/** Adds brands and duplicate counts to a page of rows: two small queries keyed by the page's ids. */
export async function hydrate(
  _deps: Deps,
  rows: ListRow[],
  showPii: boolean,
  countDuplicates: boolean,
): Promise<MentionListItem[]> {
  return rows.map((r) => ({
    id: r.id!,
    source: { id: r.sourceId!, name: r.sourceName!, type: r.sourceType! },
    brands: (JSON.parse(r.brandsJson ?? "[]") as MentionListItem["brands"]).sort((a, b) => a.id - b.id),
    author: { handle: r.authorHandle ?? null, name: r.authorName ?? null },
    url: r.url ?? null,
    text: r.text!,
    masked: !showPii,
    createdAt: r.createdAt!.toISOString(),
    status: r.status as MentionStatus,
    assignee: r.assigneeId ? { id: r.assigneeId, email: r.assigneeEmail ?? "" } : null,
    category: (r.category ?? null) as Category | null,
    relevant: r.relevant ?? null,
    severity: (r.severity ?? null) as Severity | null,
    flags: (r.flags ?? []) as Flag[],
    sentiment: r.sentiment ?? null,
    reach: r.reach ?? null,
    rating: r.rating ?? null,
    slaDueAt: r.slaDueAt ? r.slaDueAt.toISOString() : null,
    firstResponseAt: r.firstResponseAt ? r.firstResponseAt.toISOString() : null,
    groupId: r.groupId ?? null,
    duplicates: countDuplicates ? Number(r.duplicateCount ?? 0) : 0,
  }));
}

/** Only the first mention of a near-duplicate group is listed; the decision taken on it covers the group. */
export const groupHeadCondition = sql`(${mentions.groupId} IS NULL OR ${mentions.groupId} = ${mentions.id})`;

export async function listMentions(
  deps: Deps,
  viewer: AuthUser,
  query: ListMentionsQuery,
): Promise<ListMentionsResult> {
  const showPii = can(viewer.role, "viewPii");
  const limit = present(query.limit) ?? 50;
  const sort = present(query.sort) ?? "newest";
  const grouped = present(query.grouped) === "true";
  const conds = await filterConditions(deps, viewer, query);
  if (grouped) conds.push(groupHeadCondition);
  const cursor = present(query.next);

  let rows: ListRow[];
  if (sort === "sla") {
    // The queue: open, relevant, most urgent first. Matches the partial index `mentions_open_queue`.
    conds.push(
      sql`${mentions.relevant} = 1 AND ${mentions.status} IN ('new', 'triaged', 'drafting', 'awaiting_approval', 'approved', 'escalated') AND ${mentions.slaDueAt} IS NOT NULL`,
    );
    if (cursor) {
      const [due, id] = decodeCursor(cursor, 2);
      conds.push(sql`(${mentions.slaDueAt}, ${mentions.id}) > (${Number(due)}, ${Number(id)})`);
    }
    rows = await baseListQuery(deps, showPii)
      .where(and(...conds))
      .orderBy(asc(mentions.slaDueAt), asc(mentions.id))
      .limit(limit + 1);
  } else {
    if (cursor) {
      const [createdAt, id] = decodeCursor(cursor, 2);
      conds.push(sql`(${mentions.createdAt}, ${mentions.id}) < (${Number(createdAt)}, ${Number(id)})`);
    }
    rows = await baseListQuery(deps, showPii)
      .where(and(...conds))
      .orderBy(desc(mentions.createdAt), desc(mentions.id))
      .limit(limit + 1);
  }
  const hasMore = rows.length > limit;
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  let next: string | null = null;
  if (hasMore && last) {
    next =
      sort === "sla"
        ? encodeCursor([last.slaDueAt!.getTime(), last.id!])
        : encodeCursor([last.createdAt!.getTime(), last.id!]);
  }
  return { items: await hydrate(deps, page, showPii, grouped), next };
}
