import { integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, id, instant, json } from "./_columns.js";
import { brands } from "./brands.js";
import { workspaces } from "./workspaces.js";

export type SourceHealth = "ok" | "failing" | "auth_error" | "unsupported" | "disabled";

export const sources = sqliteTable(
  "sources",
  {
    id: id(),
    workspaceId: integer()
      .notNull()
      .references(() => workspaces.id),
    brandId: integer().references(() => brands.id),
    name: text().notNull(),
    type: text().notNull(),
    /** node-cron expression; the same table the Workers cron handler reads. */
    schedule: text().notNull().default("*/15 * * * *"),
    config: json<Record<string, unknown>>().notNull().default({}),
    enabled: integer({ mode: "boolean" }).notNull().default(true),
    cursor: json<Record<string, unknown>>(),
    health: text().$type<SourceHealth>().notNull().default("ok"),
    lastRunAt: instant(),
    lastSuccessAt: instant(),
    lastItems: integer().notNull().default(0),
    lastError: text(),
    consecutiveFailures: integer().notNull().default(0),
    /** A failing source is not polled again before this instant. */
    backoffUntil: instant(),
    /** SHA-256 of the token that authorises `POST /api/ingest/<source>`. */
    ingestTokenHash: text(),
    postingEnabled: integer({ mode: "boolean" }).notNull().default(false),
    dryRun: integer({ mode: "boolean" }).notNull().default(true),
    /** Removed by a person: never polled or shown as a source again; its mentions stay (soft removal). */
    removedAt: instant(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("sources_workspace_name").on(t.workspaceId, t.name)],
);
