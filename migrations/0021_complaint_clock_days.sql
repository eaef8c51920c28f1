ALTER TABLE `complaint_responses` ADD `origin` text DEFAULT 'portal' NOT NULL;--> statement-breakpoint
ALTER TABLE `complaint_responses` ADD `received_day` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `complaint_responses` ADD `created_at` integer;