import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { id, instant, json } from "./_columns.js";
import { users } from "./users.js";
import { workspaces } from "./workspaces.js";

/** One mention's state before and after an undoable action (src/services/mentions/undo.ts). */
export interface UndoChange {
  id: number;
  before: {
    status: string;
    statusChangedAt: number | null;
    firstResponseAt: number | null;
    assigneeId: number | null;
  };
  after: {
    status: string;
    statusChangedAt: number | null;
    firstResponseAt: number | null;
    assigneeId: number | null;
  };
}

/**
 * A person's recent triage action (a status change or an assignment, one mention or a bulk selection), kept for
 * a few minutes so the toast's Undo can restore exactly the states it replaced, and refuse when anything changed
 * since. Rows older than a day are deleted as new ones are written.
 */
export const undoActions = sqliteTable(
  "undo_actions",
  {
    id: id(),
    workspaceId: integer()
      .notNull()
      .references(() => workspaces.id),
    userId: integer()
      .notNull()
      .references(() => users.id),
    /** What the action did, in words: "Dismissed 3 mentions". */
    summary: text().notNull(),
    changes: json<UndoChange[]>().notNull(),
    createdAt: instant().notNull(),
    undoneAt: instant(),
  },
  (t) => [index("undo_actions_user").on(t.userId, t.createdAt)],
);
