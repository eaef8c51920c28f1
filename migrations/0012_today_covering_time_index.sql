DROP INDEX `mentions_created`;--> statement-breakpoint
CREATE INDEX `mentions_created` ON `mentions` (`created_at`,`relevant`,`severity`,`reach`,`group_id`,`source_id`);