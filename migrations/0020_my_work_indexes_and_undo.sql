CREATE TABLE `undo_actions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`summary` text NOT NULL,
	`changes` text NOT NULL,
	`created_at` integer NOT NULL,
	`undone_at` integer,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `undo_actions_user` ON `undo_actions` (`user_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `mentions_assigned_open` ON `mentions` (`assignee_id`,`sla_due_at`,`source_id`,`relevant`,`first_response_at`,`fetched_at`) WHERE assignee_id IS NOT NULL AND status IN ('new', 'triaged', 'drafting', 'awaiting_approval', 'approved', 'escalated');--> statement-breakpoint
CREATE INDEX `replies_awaiting_approval` ON `replies` (`mention_id`) WHERE status = 'awaiting_approval';