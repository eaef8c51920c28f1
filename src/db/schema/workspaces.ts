import { sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, id, json } from "./_columns.js";

export interface WorkspaceSettings {
  spikeSensitivity?: "fewer" | "balanced" | "more";
  retentionDays?: number;
  /** Tell approvers in Slack when a reply waits for approval (src/services/today/approval-notice.ts). */
  approvalsToSlack?: boolean;
}

export const workspaces = sqliteTable("workspaces", {
  id: id(),
  name: text().notNull(),
  settings: json<WorkspaceSettings>().notNull().default({}),
  createdAt: createdAt(),
});
