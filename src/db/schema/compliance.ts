import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { instant } from "./_columns.js";
import { mentions } from "./mentions.js";
import { users } from "./users.js";
import { workspaces } from "./workspaces.js";

/**
 * One row per CFPB complaint (a mention from the CFPB connector, or a post saying a complaint was filed with the
 * CFPB), written by the cfpb-clock job: the day its response clock started, and what a person recorded about its
 * answers outside Rapport (the CFPB company portal): when the company response and the final response went out,
 * who recorded each, and the outcome. Every record is also in the audit log. Compliance evidence: the purge keeps
 * the mention while a row exists.
 */
export const complaintResponses = sqliteTable(
  "complaint_responses",
  {
    mentionId: integer()
      .primaryKey()
      .references(() => mentions.id, { onDelete: "cascade" }),
    workspaceId: integer()
      .notNull()
      .references(() => workspaces.id),
    /** `portal`: came through the CFPB connector; `reported`: a post elsewhere says it was filed. */
    origin: text({ enum: ["portal", "reported"] })
      .notNull()
      .default("portal"),
    /** The US Eastern calendar day the company received it (YYYY-MM-DD): the clock's day zero. */
    receivedDay: text().notNull().default(""),
    /** The company response (the CFPB's 15-day one) went out. */
    respondedAt: instant(),
    respondedBy: integer().references(() => users.id),
    /** The final response (60 days) went out: the complaint is closed. */
    finalAt: instant(),
    finalBy: integer().references(() => users.id),
    /** The outcome as the CFPB portal words it ("Closed with explanation", …). */
    outcome: text(),
    updatedAt: instant(),
    /** When the job found it (the clock may have started weeks before: the CFPB publishes late). */
    createdAt: instant(),
  },
  (t) => [
    index("complaint_responses_workspace").on(t.workspaceId),
    // Today, the digest and the reminders read only open complaints (services/compliance/cfpb-complaints.ts OPEN):
    // this index holds just those, however many closed ones years of complaints leave behind.
    index("complaint_responses_open")
      .on(t.workspaceId, t.receivedDay)
      .where(sql`final_at IS NULL AND outcome IS NULL`),
  ],
);
