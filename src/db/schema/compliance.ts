import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { instant } from "./_columns.js";
import { mentions } from "./mentions.js";
import { users } from "./users.js";
import { workspaces } from "./workspaces.js";

/**
 * What a person recorded about a complaint's answers outside Rapport (the CFPB company portal): when the company
 * response and the final response went out, who recorded each, and the outcome. One row per complaint (mention);
 * every change is also in the audit log. Compliance evidence: the purge keeps the mention while a row exists.
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
    /** The company response (the CFPB's 15-day one) went out. */
    respondedAt: instant(),
    respondedBy: integer().references(() => users.id),
    /** The final response (60 days) went out: the complaint is closed. */
    finalAt: instant(),
    finalBy: integer().references(() => users.id),
    /** The outcome as the CFPB portal words it ("Closed with explanation", …). */
    outcome: text(),
    updatedAt: instant(),
  },
  (t) => [index("complaint_responses_workspace").on(t.workspaceId)],
);
