import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, id, instant, json } from "./_columns.js";
import { brands } from "./brands.js";
import { users } from "./users.js";
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
    /** The hour after the episode's last elevated hour, once the detector has seen it end. */
    endedAt: instant(),
    createdAt: createdAt(),
  },
  (t) => [index("spikes_key").on(t.key, t.lastHourAt)],
);

/** A count key whose spikes are not sent to Slack: until `until`, or until unmuted when `until` is null. */
export const spikeMutes = sqliteTable(
  "spike_mutes",
  {
    id: id(),
    workspaceId: integer()
      .notNull()
      .references(() => workspaces.id),
    key: text().notNull(),
    until: instant(),
    createdBy: integer().references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("spike_mutes_workspace_key").on(t.workspaceId, t.key)],
);

/** "Was this alert useful?": one answer per person per spike (a second answer replaces the first). */
export const spikeFeedback = sqliteTable(
  "spike_feedback",
  {
    id: id(),
    workspaceId: integer()
      .notNull()
      .references(() => workspaces.id),
    spikeId: integer()
      .notNull()
      .references(() => spikes.id, { onDelete: "cascade" }),
    userId: integer()
      .notNull()
      .references(() => users.id),
    useful: integer({ mode: "boolean" }).notNull(),
    answeredAt: instant().notNull(),
  },
  (t) => [
    uniqueIndex("spike_feedback_spike_user").on(t.spikeId, t.userId),
    index("spike_feedback_workspace_answered").on(t.workspaceId, t.answeredAt),
  ],
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
