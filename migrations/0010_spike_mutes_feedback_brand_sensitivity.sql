CREATE TABLE `spike_feedback` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace_id` integer NOT NULL,
	`spike_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`useful` integer NOT NULL,
	`answered_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`spike_id`) REFERENCES `spikes`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `spike_feedback_spike_user` ON `spike_feedback` (`spike_id`,`user_id`);--> statement-breakpoint
CREATE INDEX `spike_feedback_workspace_answered` ON `spike_feedback` (`workspace_id`,`answered_at`);--> statement-breakpoint
CREATE TABLE `spike_mutes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace_id` integer NOT NULL,
	`key` text NOT NULL,
	`until` integer,
	`created_by` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `spike_mutes_workspace_key` ON `spike_mutes` (`workspace_id`,`key`);--> statement-breakpoint
ALTER TABLE `spikes` ADD `ended_at` integer;--> statement-breakpoint
ALTER TABLE `brands` ADD `spike_sensitivity` text;