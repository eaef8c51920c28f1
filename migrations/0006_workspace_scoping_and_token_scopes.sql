ALTER TABLE `digest_recipients` ADD `workspace_id` integer REFERENCES workspaces(id);--> statement-breakpoint
ALTER TABLE `outbox` ADD `workspace_id` integer;--> statement-breakpoint
ALTER TABLE `api_tokens` ADD `scope` text DEFAULT 'write' NOT NULL;--> statement-breakpoint
ALTER TABLE `api_tokens` ADD `expires_at` integer;--> statement-breakpoint
ALTER TABLE `audit_log` ADD `workspace_id` integer;--> statement-breakpoint
CREATE INDEX `audit_workspace` ON `audit_log` (`workspace_id`,`id`);--> statement-breakpoint
UPDATE `audit_log` SET `workspace_id` = (SELECT `workspace_id` FROM `users` WHERE `users`.`id` = `audit_log`.`actor_id`) WHERE `actor_id` IS NOT NULL;--> statement-breakpoint
UPDATE `audit_log` SET `workspace_id` = (SELECT min(`id`) FROM `workspaces`) WHERE `workspace_id` IS NULL AND (SELECT count(*) FROM `workspaces`) = 1;--> statement-breakpoint
UPDATE `digest_recipients` SET `workspace_id` = (SELECT `workspace_id` FROM `brands` WHERE `brands`.`id` = `digest_recipients`.`brand_id`) WHERE `brand_id` IS NOT NULL;--> statement-breakpoint
UPDATE `digest_recipients` SET `workspace_id` = (SELECT min(`id`) FROM `workspaces`) WHERE `workspace_id` IS NULL AND (SELECT count(*) FROM `workspaces`) = 1;--> statement-breakpoint
UPDATE `outbox` SET `workspace_id` = (SELECT min(`id`) FROM `workspaces`) WHERE (SELECT count(*) FROM `workspaces`) = 1;
