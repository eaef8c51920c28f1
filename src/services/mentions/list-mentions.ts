// The feed, the queue and `GET /api/mentions`: filtered, keyset-paginated, newest first (or most urgent first).
import { and, eq, isNull, type SQL, sql } from "drizzle-orm";
import type { AuthUser } from "../../auth/types.js";
import type { Db } from "../../db/client.js";
import { prepareOnce } from "../../db/prepared.js";
import { brands, FLAG_CONDITION, mentionBrands, mentions, sources } from "../../db/schema/index.js";
import type { Deps } from "../../deps.js";
import { can } from "../../domain/permissions.js";
import type { Category, Flag, MentionStatus, Severity } from "../../domain/taxonomy.js";
import { badRequest } from "../../errors.js";
import { decodeCursor, encodeCursor } from "./cursor.js";
import { newestMatches, probeFts } from "./fts-probe.js";
import { searchTerms, toFtsQuery } from "./fts-query.js";
import { listBySeverity } from "./list-by-severity.js";
import { HAS_REPLY_APPROVABLE_BY, MINE_OPEN } from "./my-work-scope.js";
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
  /** When Rapport first stored it: a post already past due then "arrived overdue" (src/domain/sla.ts). */
  fetchedAt: string;
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

// The filters name sources and brands; these lookups run on most feed pages (see src/db/prepared.ts).
const sourceByName = (db: Db) =>
  db
    .select({ id: sources.id })
    .from(sources)
    .where(
      and(eq(sources.workspaceId, sql.placeholder("workspaceId")), eq(sources.name, sql.placeholder("name"))),
    )
    .prepare();
const brandBySlug = (db: Db) =>
  db
    .select({ id: brands.id })
    .from(brands)
    .where(
      and(eq(brands.workspaceId, sql.placeholder("workspaceId")), eq(brands.slug, sql.placeholder("slug"))),
    )
    .prepare();

/** Filter conditions shared by the feed, the queue, Today and bulk "select all matching". */
export async function filterConditions(
  deps: Deps,
  viewer: AuthUser,
  filters: MentionFilters,
): Promise<SQL[]> {
  const conds: SQL[] = [eq(sources.workspaceId, viewer.workspaceId)];
  const sourceName = present(filters.source);
  if (sourceName) {
    const [source] = await prepareOnce(deps.db, "source-by-name", sourceByName).all({
      workspaceId: viewer.workspaceId,
      name: sourceName,
    });
    if (!source) throw badRequest(`No source named "${sourceName}"`);
    conds.push(eq(mentions.sourceId, source.id));
  }
  const brandSlug = present(filters.brand);
  if (brandSlug) {
    const [brand] = await prepareOnce(deps.db, "brand-by-slug", brandBySlug).all({
      workspaceId: viewer.workspaceId,
      slug: brandSlug,
    });
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
  // My work's figures link here: the same conditions as their counts (my-work-scope.ts).
  const work = present(filters.work);
  if (work === "mine") conds.push(MINE_OPEN(viewer.id));
  else if (work === "approvals")
    conds.push(can(viewer.role, "approveReplies") ? HAS_REPLY_APPROVABLE_BY(viewer) : sql`0`);
  const flag = present(filters.flag);
  if (flag)
    // The partial index's own condition (mentions_flag_<flag>): the walk reads only the mentions carrying it.
    conds.push(FLAG_CONDITION(flag));
  const since = present(filters.since);
  if (since) conds.push(sql`${mentions.createdAt} >= ${Date.parse(since)}`);
  const until = present(filters.until);
  if (until) conds.push(sql`${mentions.createdAt} < ${Date.parse(until)}`);
  const q = present(filters.q);
  if (q) {
    const search = await searchConditions(deps, viewer, q);
    conds.push(search.matches.at(-1)!.cond, ...search.visible);
  }
  return conds;
}

/** Which mentions match, as a condition; `exact`: a page read with it is the right page even when not full. */
interface MatchCondition {
  cond: SQL;
  exact: boolean;
}

/**
 * A search's conditions: `matches`, narrowest first, the last one every match (a page that fills from an
 * earlier one is the right page; one that does not must be read again with the next), and `visible`, the
 * conditions for a viewer who may not see personal data.
 *
 * Every match: few matches are fetched by rowid and sorted; many, by walking the time index and testing
 * membership, which stops after one page. The capped probe reads only the terms' doclists, and for few matches
 * it already holds every matching rowid: those are passed on, so an expensive match (common words ANDed) runs
 * once. With `newestFirst` (a page in the feed's order, after `after`, of `take` rows) a search that matches many
 * is first answered from its newest matches (fts-probe.ts): the few that follow `after`, fetched by id, then all
 * of them (a walk of the time index bounded by the oldest).
 */
async function searchConditions(
  deps: Deps,
  viewer: AuthUser,
  q: string,
  newestFirst?: { after: [number, number] | null; take: number },
): Promise<{ matches: MatchCondition[]; visible: SQL[] }> {
  const visible: SQL[] = [];
  const match = toFtsQuery(q);
  // Nothing searchable (only punctuation) matches nothing rather than everything.
  if (!match) return { matches: [{ cond: sql`0`, exact: true }], visible };
  const matches: MatchCondition[] = [];
  const probe = await probeFts(deps, match, FTS_SCAN_THRESHOLD);
  const newest = newestFirst && probe.matched >= FTS_SCAN_THRESHOLD ? await newestMatches(deps, match) : null;
  if (newest && newestFirst) {
    const { after, take } = newestFirst;
    // The first of them after the cursor (they are in the feed's order: time, then id, both descending).
    const start = after
      ? newest.order.findIndex(([id, at]) => at < after[0] || (at === after[0] && id < after[1]))
      : 0;
    if (start >= 0) {
      const next = newest.order.slice(start, start + take).map(([id]) => id);
      matches.push({
        cond: sql`${mentions.id} IN (SELECT value FROM json_each(${JSON.stringify(next)}))`,
        exact: newest.complete && start + take >= newest.order.length,
      });
    }
    // Bounded below by the oldest of them, so the walk of the time index stops there even when the filters
    // leave none of them.
    matches.push({
      cond: sql`${mentions.createdAt} >= ${newest.oldest} AND +${mentions.id} IN (SELECT value FROM json_each(${newest.ids}))`,
      exact: newest.complete,
    });
  }
  matches.push({
    cond:
      probe.matched >= FTS_SCAN_THRESHOLD
        ? sql`+${mentions.id} IN (SELECT rowid FROM mentions_fts WHERE mentions_fts MATCH ${match})`
        : probe.ids === null
          ? sql`0`
          : sql`${mentions.id} IN (SELECT value FROM json_each(${`[${probe.ids}]`}))`,
    exact: true,
  });
  // The index holds the unmasked text, so a match alone would let a viewer confirm a phone number or an
  // e-mail address. Every term must also be visible to them: in the masked text or the author's handle.
  if (!can(viewer.role, "viewPii")) {
    for (const term of searchTerms(q)) {
      visible.push(
        sql`instr(lower(coalesce(${mentions.textMasked}, '') || ' ' || coalesce(${mentions.authorHandle}, '')), ${term.toLowerCase()}) > 0`,
      );
    }
  }
  return { matches, visible };
}

// A page in one statement whose rows are one JSON array each: SQLite builds them in C, and the driver and the
// ORM convert one text column per row instead of two dozen (at 50 rows that conversion cost more than the
// query). Written once as raw SQL: nothing here depends on the request but the viewer's text column.
// No assignee join here: the page's ids need only mentions and sources, and joining users made SQLite read every
// candidate's row (for assignee_id) where an index alone would do (Today's ranking: 20 ms -> 0.7 ms at 1M).
const PAGE_FROM = sql.raw(`"mentions" CROSS JOIN "sources" ON "sources"."id" = "mentions"."source_id"`);
/** The page's rows, by id (the ids come first, see selectListPage). */
const PAGE_ROWS_FROM = sql.raw(
  `"mentions" INNER JOIN "sources" ON "sources"."id" = "mentions"."source_id" LEFT JOIN "users" AS "assignees" ON "assignees"."id" = "mentions"."assignee_id"`,
);
// CROSS JOIN keeps SQLite from driving the join from `sources`, whatever the filters: driven from the
// workspace's sources it sorts every mention of the workspace, or probes a search's rowids once per source.
// Mentions stay the outer loop, read in index order (a page stops after `limit` rows) or by rowid.
const pageRow = (text: string, duplicates: string) =>
  sql.raw(
    `json_array("mentions"."id", "sources"."id", "sources"."name", "sources"."type", "mentions"."author_handle", "mentions"."author_name", "mentions"."url", ${text}, "mentions"."created_at", "mentions"."status", "mentions"."assignee_id", "assignees"."email", "mentions"."category", "mentions"."relevant", "mentions"."severity", json("mentions"."flags"), "mentions"."sentiment", "mentions"."reach", "mentions"."rating", "mentions"."sla_due_at", "mentions"."first_response_at", "mentions"."group_id", json((SELECT json_group_array(json_object('id', b.id, 'slug', b.slug, 'name', b.name, 'kind', b.kind)) FROM mention_brands AS mb JOIN brands AS b ON b.id = mb.brand_id WHERE mb.mention_id = "mentions"."id")), ${duplicates}, "mentions"."fetched_at")`,
  );
const DUPLICATES = `(SELECT count(*) FROM mentions AS d WHERE d.group_id = "mentions"."id" AND d.group_id <> d.id)`;
const PAGE_ROWS = {
  pii: { counted: pageRow(`"mentions"."text"`, DUPLICATES), uncounted: pageRow(`"mentions"."text"`, "0") },
  masked: {
    counted: pageRow(`"mentions"."text_masked"`, DUPLICATES),
    uncounted: pageRow(`"mentions"."text_masked"`, "0"),
  },
};

type PageRow = [
  id: number,
  sourceId: number,
  sourceName: string,
  sourceType: string,
  authorHandle: string | null,
  authorName: string | null,
  url: string | null,
  text: string,
  createdAt: number,
  status: string,
  assigneeId: number | null,
  assigneeEmail: string | null,
  category: string | null,
  relevant: number | null,
  severity: string | null,
  flags: string[],
  sentiment: number | null,
  reach: number | null,
  rating: number | null,
  slaDueAt: number | null,
  firstResponseAt: number | null,
  groupId: number | null,
  brands: MentionListItem["brands"],
  duplicates: number,
  fetchedAt: number,
];

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * One page of list items for `viewer`: the mentions matching `where` (over mentions and sources), in
 * order. Always limited to the viewer's workspace, and the text masked unless their role may see personal data,
 * whatever `where` says: every list, page and related-mentions panel goes through here.
 */
export async function selectListPage(
  deps: Deps,
  viewer: AuthUser,
  opts: { where: SQL | undefined; orderBy: SQL; limit: number; countDuplicates: boolean },
): Promise<MentionListItem[]> {
  const showPii = can(viewer.role, "viewPii");
  const where = and(eq(sources.workspaceId, viewer.workspaceId), opts.where);
  const columns = PAGE_ROWS[showPii ? "pii" : "masked"][opts.countDuplicates ? "counted" : "uncounted"];
  // The page's ids first, then its rows: when the order needs a sort (search by rowid, Today's ranking),
  // SQLite computes a row's columns before sorting, and the brand and duplicate subqueries would then run for
  // every candidate (thousands) instead of for the page.
  const rows = await deps.db.all<{ row: string }>(
    sql`SELECT ${columns} AS row FROM (SELECT "mentions"."id" AS "page_id" FROM ${PAGE_FROM} WHERE ${where} ORDER BY ${opts.orderBy} LIMIT ${opts.limit}) AS "page" CROSS JOIN ${PAGE_ROWS_FROM} WHERE "mentions"."id" = "page"."page_id" ORDER BY ${opts.orderBy}`,
  );
  return rows.map(({ row }) => {
    const r = JSON.parse(row) as PageRow;
    return {
      id: r[0],
      source: { id: r[1], name: r[2], type: r[3] },
      brands: (r[22] ?? []).sort((a, b) => a.id - b.id),
      author: { handle: r[4], name: r[5] },
      url: r[6],
      text: r[7],
      masked: !showPii,
      createdAt: iso(r[8])!,
      status: r[9] as MentionStatus,
      assignee: r[10] ? { id: r[10], email: r[11] ?? "" } : null,
      category: r[12] as Category | null,
      relevant: r[13] === null ? null : r[13] !== 0,
      severity: r[14] as Severity | null,
      flags: (r[15] ?? []) as Flag[],
      sentiment: r[16],
      reach: r[17],
      rating: r[18],
      slaDueAt: iso(r[19]),
      firstResponseAt: iso(r[20]),
      fetchedAt: iso(r[24])!,
      groupId: r[21],
      duplicates: r[23],
    };
  });
}

/** Only the first mention of a near-duplicate group is listed; the decision taken on it covers the group. */
export const groupHeadCondition = sql`(${mentions.groupId} IS NULL OR ${mentions.groupId} = ${mentions.id})`;

export async function listMentions(
  deps: Deps,
  viewer: AuthUser,
  query: ListMentionsQuery,
): Promise<ListMentionsResult> {
  const limit = present(query.limit) ?? 50;
  const sort = present(query.sort) ?? "newest";
  const grouped = present(query.grouped) === "true";
  const cursor = present(query.next);
  // A search in the feed's order (newest first) may be answered from its newest matches (searchConditions).
  const q = sort === "newest" ? present(query.q) : undefined;
  const conds = await filterConditions(deps, viewer, q ? { ...query, q: "" } : query);
  const search = q
    ? await searchConditions(deps, viewer, q, {
        after: cursor ? (decodeCursor(cursor, 2).map(Number) as [number, number]) : null,
        take: 4 * (limit + 1),
      })
    : null;
  const searchAt = conds.length;
  if (search) conds.push(search.matches[0]!.cond, ...search.visible);
  // My work's lists decide near-duplicates themselves (a member assigned on its own is listed).
  if (grouped && !present(query.work)) conds.push(groupHeadCondition);

  if (sort === "severity") {
    // Most severe first: one level at a time (list-by-severity.ts), each read newest first.
    return listBySeverity({
      conds,
      cursor,
      limit,
      selectPage: (page) => selectListPage(deps, viewer, { ...page, countDuplicates: grouped }),
    });
  }
  let orderBy: SQL;
  if (sort === "sla") {
    // The queue: open, relevant, most urgent first. Matches the partial index `mentions_open_queue`.
    conds.push(
      sql`${mentions.relevant} = 1 AND ${mentions.status} IN ('new', 'triaged', 'drafting', 'awaiting_approval', 'approved', 'escalated') AND ${mentions.slaDueAt} IS NOT NULL`,
    );
    if (cursor) {
      const [due, id] = decodeCursor(cursor, 2);
      conds.push(sql`(${mentions.slaDueAt}, ${mentions.id}) > (${Number(due)}, ${Number(id)})`);
    }
    orderBy = sql`${mentions.slaDueAt} ASC, ${mentions.id} ASC`;
  } else if (sort === "oldest") {
    if (cursor) {
      const [createdAt, id] = decodeCursor(cursor, 2);
      conds.push(sql`(${mentions.createdAt}, ${mentions.id}) > (${Number(createdAt)}, ${Number(id)})`);
    }
    orderBy = sql`${mentions.createdAt} ASC, ${mentions.id} ASC`;
  } else {
    if (cursor) {
      const [createdAt, id] = decodeCursor(cursor, 2);
      conds.push(sql`(${mentions.createdAt}, ${mentions.id}) < (${Number(createdAt)}, ${Number(id)})`);
    }
    orderBy = sql`${mentions.createdAt} DESC, ${mentions.id} DESC`;
  }
  let rows = await selectListPage(deps, viewer, {
    where: and(...conds),
    orderBy,
    limit: limit + 1,
    countDuplicates: grouped,
  });
  // The newest matches ran out before the page filled (the filters left too few of them): the next, wider
  // condition decides, up to every match. A page that fills is the right page: any other match is older than
  // all of those it was read from.
  for (
    let i = 1;
    search && rows.length <= limit && !search.matches[i - 1]!.exact && i < search.matches.length;
    i++
  ) {
    conds[searchAt] = search.matches[i]!.cond;
    rows = await selectListPage(deps, viewer, {
      where: and(...conds),
      orderBy,
      limit: limit + 1,
      countDuplicates: grouped,
    });
  }
  const hasMore = rows.length > limit;
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  let next: string | null = null;
  if (hasMore && last) {
    next =
      sort === "sla"
        ? encodeCursor([Date.parse(last.slaDueAt!), last.id])
        : encodeCursor([Date.parse(last.createdAt), last.id]);
  }
  return { items, next };
}
