DROP INDEX `mentions_group`;--> statement-breakpoint
CREATE INDEX `mentions_duplicates` ON `mentions` (`group_id`) WHERE group_id <> id;