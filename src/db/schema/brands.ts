import { integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, id, json } from "./_columns.js";
import { workspaces } from "./workspaces.js";

/** Minutes allowed before a mention of each severity must have a first response. */
export type SlaMinutes = Partial<Record<"critical" | "high" | "medium" | "low", number>>;

export const brands = sqliteTable(
  "brands",
  {
    id: id(),
    workspaceId: integer()
      .notNull()
      .references(() => workspaces.id),
    name: text().notNull(),
    slug: text().notNull(),
    /** `company`: the collecting company itself; `client`: a creditor it collects for (never named in public). */
    kind: text({ enum: ["company", "client"] }).notNull(),
    keywords: json<string[]>().notNull().default([]),
    exclusions: json<string[]>().notNull().default([]),
    /** The company's own public channels (phone, contact page, DM handle): allowed in replies. */
    contacts: json<string[]>().notNull().default([]),
    slaMinutes: json<SlaMinutes>().notNull().default({}),
    slackWebhookUrl: text(),
    /** Spike sensitivity for this brand; null follows the workspace's. */
    spikeSensitivity: text({ enum: ["fewer", "balanced", "more"] }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("brands_workspace_slug").on(t.workspaceId, t.slug)],
);
