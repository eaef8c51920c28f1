import { sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, id, json } from "./_columns.js";

export interface WorkspaceSettings {
  spikeSensitivity?: "fewer" | "balanced" | "more";
  retentionDays?: number;
}

export const workspaces = sqliteTable("workspaces", {
  id: id(),
  name: text().notNull(),
  settings: json<WorkspaceSettings>().notNull().default({}),
  createdAt: createdAt(),
});
