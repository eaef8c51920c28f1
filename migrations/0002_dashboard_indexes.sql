CREATE INDEX `mentions_source_created` ON `mentions` (`source_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `mentions_category_created` ON `mentions` (`category`,`created_at`);--> statement-breakpoint
CREATE INDEX `mentions_assignee_created` ON `mentions` (`assignee_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `mentions_group` ON `mentions` (`group_id`);--> statement-breakpoint
CREATE INDEX `mentions_thread` ON `mentions` (`thread_id`);--> statement-breakpoint
CREATE INDEX `mentions_open_queue` ON `mentions` (`sla_due_at`,`id`) WHERE relevant = 1 AND status IN ('new', 'triaged', 'drafting', 'awaiting_approval', 'approved', 'escalated') AND sla_due_at IS NOT NULL;