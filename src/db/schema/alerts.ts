import { index, integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, id, instant, json } from "./_columns.js";
import { brands } from "./brands.js";
import { workspaces } from "./workspaces.js";

/** Hourly mention counts per key (`brand:<id>`, `brand:<id>|cat:<c>|src:<id>`), kept as mentions are stored. */
export const hourlyCounts = sqliteTable(
  "hourly_counts",
  {
    key: text().notNull(),
    hour: instant().notNull(),
    count: integer().notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.key, t.hour] })],
);

export const spikes = sqliteTable(
  "spikes",
  {
    id: id(),
    key: text().notNull(),
    brandId: integer().references(() => brands.id),
    startedAt: instant().notNull(),
    lastHourAt: instant().notNull(),
    count: integer().notNull(),
    expected: real().notNull(),
    score: real().notNull(),
    explanation: json<unknown>(),
    createdAt: createdAt(),
  },
  (t) => [index("spikes_key").on(t.key, t.lastHourAt)],
);

export const digestRecipients = sqliteTable("digest_recipients", {
  id: id(),
  /** A recipient without a brand gets the company brand's digest of this workspace (and no other's). */
  workspaceId: integer().references(() => workspaces.id),
  brandId: integer().references(() => brands.id),
  email: text().notNull(),
  timeZone: text().notNull().default("America/New_York"),
  createdAt: createdAt(),
});
