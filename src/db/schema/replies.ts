import { sql } from "drizzle-orm";
import { index, integer, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, id, instant, json } from "./_columns.js";
import { brands } from "./brands.js";
import { mentions } from "./mentions.js";
import { users } from "./users.js";
import { workspaces } from "./workspaces.js";

export const replyTemplates = sqliteTable("reply_templates", {
  id: id(),
  /** Templates without a brand are workspace-wide: this says which workspace (never every one). */
  workspaceId: integer().references(() => workspaces.id),
  brandId: integer().references(() => brands.id),
  platform: text(),
  category: text(),
  name: text().notNull(),
  body: text().notNull(),
  createdAt: createdAt(),
  updatedAt: instant(),
});

export const replies = sqliteTable(
  "replies",
  {
    id: id(),
    mentionId: integer()
      .notNull()
      .references(() => mentions.id),
    /** `<sourceId>:<threadId>`: at most one public reply per thread. */
    threadKey: text().notNull(),
    authorId: integer()
      .notNull()
      .references(() => users.id),
    origin: text({ enum: ["template", "claude", "manual"] }).notNull(),
    text: text().notNull(),
    status: text({ enum: ["draft", "awaiting_approval", "approved", "posting", "posted", "rejected"] })
      .notNull()
      .default("draft"),
    lint: json<unknown>(),
    approvedBy: integer().references(() => users.id),
    approvedAt: instant(),
    postedBy: integer().references(() => users.id),
    postedAt: instant(),
    postedText: text(),
    postedExternalId: text(),
    postedUrl: text(),
    postedVia: text({ enum: ["api", "manual", "dry_run"] }),
    createdAt: createdAt(),
    updatedAt: instant(),
  },
  (t) => [
    index("replies_mention").on(t.mentionId),
    // "Awaiting my approval" (src/services/today/my-work.ts): the few replies waiting, without reading the rest.
    index("replies_awaiting_approval").on(t.mentionId).where(sql`status = 'awaiting_approval'`),
    uniqueIndex("replies_one_public_per_thread").on(t.threadKey).where(sql`status = 'posted'`),
  ],
);

/** Every lint run on every draft and edit: compliance evidence, retained three years. */
export const replyLints = sqliteTable(
  "reply_lints",
  {
    id: id(),
    replyId: integer()
      .notNull()
      .references(() => replies.id),
    userId: integer().references(() => users.id),
    text: text().notNull(),
    /** False only for a blocking (B) hit; house-style gaps (R_*) are warnings an approver may accept. */
    ok: integer({ mode: "boolean" }).notNull(),
    violations: json<unknown>().notNull(),
    warnings: json<unknown>().notNull().default(sql`'[]'`),
    createdAt: createdAt(),
  },
  (t) => [index("reply_lints_reply").on(t.replyId)],
);

/** A case follows an answered author: later mentions attach to it and record whether their tone recovered. */
export const cases = sqliteTable("cases", {
  id: id(),
  rootMentionId: integer()
    .notNull()
    .references(() => mentions.id),
  replyId: integer().references(() => replies.id),
  authorKey: text(),
  openedAt: createdAt(),
  initialSentiment: real(),
  latestSentiment: real(),
  recovered: integer({ mode: "boolean" }),
  followUps: integer().notNull().default(0),
});
