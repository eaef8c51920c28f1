import { type SQL, sql } from "drizzle-orm";
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { FLAGS, type Flag } from "../../domain/taxonomy.js";
import { createdAt, id, instant, json } from "./_columns.js";
import { brands } from "./brands.js";
import { sources } from "./sources.js";
import { users } from "./users.js";

/**
 * "This mention carries `flag`", as a literal the partial indexes mentions_flag_<flag> are defined by: a query
 * must use exactly this condition for SQLite to read the index. Only the fixed flags, never user text.
 */
export function FLAG_CONDITION(flag: Flag): SQL {
  if (!(FLAGS as readonly string[]).includes(flag)) throw new RangeError(`unknown flag "${flag}"`);
  return sql.raw(`instr(flags, '"${flag}"') > 0`);
}

export const mentions = sqliteTable(
  "mentions",
  {
    id: id(),
    sourceId: integer()
      .notNull()
      .references(() => sources.id),
    externalId: text().notNull(),
    url: text(),
    authorHandle: text(),
    authorName: text(),
    authorId: text(),
    /** Keyed hash of the author's platform identity: links a person's mentions across time. */
    authorKey: text(),
    text: text().notNull(),
    /** The text with personal data masked: what leaves the database (Claude, Slack, e-mail, viewers). */
    textMasked: text().notNull(),
    createdAt: instant().notNull(),
    fetchedAt: createdAt(),
    rating: real(),
    reach: integer(),
    language: text(),
    /** Hash of the normalised text: retweets and cross-posts share it. */
    contentHash: text().notNull(),
    /** The first mention with the same content hash; one decision covers the group. */
    groupId: integer(),
    threadId: text(),
    replyTarget: text(),
    meta: json<Record<string, unknown>>().notNull().default({}),
    raw: json<unknown>(),
    // Triage
    status: text().notNull().default("new"),
    assigneeId: integer().references(() => users.id),
    statusChangedAt: instant(),
    slaDueAt: instant(),
    firstResponseAt: instant(),
    caseId: integer(),
    // Current classification (history in `classifications`)
    category: text(),
    relevant: integer({ mode: "boolean" }),
    severity: text(),
    flags: json<string[]>().notNull().default([]),
    sentiment: real(),
    confidence: real(),
    classifiedBy: text(),
    classifierVersion: text(),
    classifiedAt: instant(),
    /** Set when the routers (alerts, rights events, follow-ups) have run for this mention. On libSQL that is the
     * store transaction itself; on D1, which has no interactive transactions, a retried page re-routes the
     * mentions a crash left unrouted. */
    routedAt: instant(),
  },
  (t) => [
    uniqueIndex("mentions_source_external").on(t.sourceId, t.externalId),
    // Time first (the feed's newest-first walk), then what Today ranks a window by and joins on: Today reads a
    // day's mentions from this index alone, wherever their rows lie (src/services/today/today.ts).
    index("mentions_created").on(t.createdAt, t.relevant, t.severity, t.reach, t.groupId, t.sourceId),
    index("mentions_content_hash").on(t.contentHash),
    index("mentions_status_created").on(t.status, t.createdAt),
    index("mentions_author_key").on(t.authorKey),
    index("mentions_unclassified").on(t.id).where(sql`classified_at IS NULL`),
    index("mentions_queue").on(t.relevant, t.status, t.createdAt),
    // Dashboard filters and the triage queue (see src/services/mentions/list-mentions.ts).
    // Category too: Today's 30-day charts read only this index (no row per mention).
    index("mentions_source_created").on(t.sourceId, t.createdAt, t.category),
    index("mentions_category_created").on(t.category, t.createdAt),
    index("mentions_assignee_created").on(t.assigneeId, t.createdAt),
    // Only real near-duplicates (not group heads): counting a page's duplicates is a handful of lookups.
    index("mentions_duplicates").on(t.groupId).where(sql`group_id <> id`),
    index("mentions_thread").on(t.threadId),
    // The flag filter (list-mentions.ts) walks only the mentions carrying that flag, newest first: without these a
    // flag no mention carries reads every mention (about 2 s at a million). FLAG_CONDITION is matched literally
    // by the query's condition.
    ...FLAGS.map((flag) => index(`mentions_flag_${flag}`).on(t.createdAt, t.id).where(FLAG_CONDITION(flag))),
    // "Needs a label": lowest confidence first, read in index order up to the page size
    // (src/services/classification/list-needs-label.ts).
    index("mentions_confidence").on(t.confidence, t.id),
    // The queue (sort=sla) in due order, and its capped count, from the index alone: group and source for the
    // near-duplicate and workspace conditions, relevance and status because the queries name them.
    index("mentions_open_queue")
      .on(t.slaDueAt, t.id, t.groupId, t.sourceId, t.relevant, t.status)
      .where(
        sql`relevant = 1 AND status IN ('new', 'triaged', 'drafting', 'awaiting_approval', 'approved', 'escalated') AND sla_due_at IS NOT NULL`,
      ),
    // "My work" (src/services/today/my-work.ts): a person's open assigned mentions, counted and listed soonest due
    // first, overdue ones told apart, from the index alone. Only assigned open rows: ingest (all unassigned) never
    // writes to it.
    index("mentions_assigned_open")
      .on(t.assigneeId, t.slaDueAt, t.sourceId, t.relevant, t.firstResponseAt, t.fetchedAt)
      .where(
        sql`assignee_id IS NOT NULL AND status IN ('new', 'triaged', 'drafting', 'awaiting_approval', 'approved', 'escalated')`,
      ),
    // Today's open and overdue tallies per workspace, from the index alone (src/services/today/today.ts).
    index("mentions_open_by_source")
      .on(t.sourceId, t.slaDueAt, t.firstResponseAt, t.relevant, t.status)
      .where(
        sql`relevant = 1 AND status IN ('new', 'triaged', 'drafting', 'awaiting_approval', 'approved', 'escalated') AND sla_due_at IS NOT NULL`,
      ),
  ],
);

export const mentionBrands = sqliteTable(
  "mention_brands",
  {
    mentionId: integer()
      .notNull()
      .references(() => mentions.id, { onDelete: "cascade" }),
    brandId: integer()
      .notNull()
      .references(() => brands.id),
  },
  (t) => [
    primaryKey({ columns: [t.mentionId, t.brandId] }),
    index("mention_brands_brand").on(t.brandId, t.mentionId),
  ],
);

export const notes = sqliteTable("notes", {
  id: id(),
  mentionId: integer()
    .notNull()
    .references(() => mentions.id, { onDelete: "cascade" }),
  userId: integer()
    .notNull()
    .references(() => users.id),
  body: text().notNull(),
  createdAt: createdAt(),
});

export const classifications = sqliteTable(
  "classifications",
  {
    id: id(),
    mentionId: integer()
      .notNull()
      .references(() => mentions.id, { onDelete: "cascade" }),
    category: text().notNull(),
    relevant: integer({ mode: "boolean" }).notNull(),
    severity: text().notNull(),
    flags: json<string[]>().notNull().default([]),
    sentiment: real().notNull(),
    confidence: real().notNull(),
    /** `local`, `claude`, `hybrid`, or `human` for a reviewer's correction (which wins). */
    engine: text().notNull(),
    version: text().notNull(),
    correctedBy: integer().references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [index("classifications_mention").on(t.mentionId)],
);

export const classificationCache = sqliteTable("classification_cache", {
  contentHash: text().primaryKey(),
  engine: text().notNull(),
  version: text().notNull(),
  result: json<Record<string, unknown>>().notNull(),
  createdAt: createdAt(),
});
