ALTER TABLE `reply_templates` ADD `workspace_id` integer REFERENCES workspaces(id);--> statement-breakpoint
UPDATE `reply_templates` SET `workspace_id` = (SELECT `workspace_id` FROM `brands` WHERE `brands`.`id` = `reply_templates`.`brand_id`) WHERE `brand_id` IS NOT NULL;--> statement-breakpoint
UPDATE `reply_templates` SET `workspace_id` = (SELECT min(`id`) FROM `workspaces`) WHERE `workspace_id` IS NULL AND (SELECT count(*) FROM `workspaces`) = 1;
