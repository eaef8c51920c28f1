CREATE TABLE `complaint_responses` (
	`mention_id` integer PRIMARY KEY NOT NULL,
	`workspace_id` integer NOT NULL,
	`responded_at` integer,
	`responded_by` integer,
	`final_at` integer,
	`final_by` integer,
	`outcome` text,
	`updated_at` integer,
	FOREIGN KEY (`mention_id`) REFERENCES `mentions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`responded_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`final_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `complaint_responses_workspace` ON `complaint_responses` (`workspace_id`);