CREATE TABLE `daily_counts` (
	`source_id` integer NOT NULL,
	`day` integer NOT NULL,
	`category` text NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`source_id`, `day`, `category`)
);
--> statement-breakpoint
CREATE TABLE `queue_counts` (
	`source_id` integer PRIMARY KEY NOT NULL,
	`open` integer DEFAULT 0 NOT NULL,
	`unanswered` integer DEFAULT 0 NOT NULL,
	`arrived_overdue` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
-- The SLA clock counts from the post's own time (its platform's created_at; the first-seen time only when the
-- platform gives none, or gives a time after we first saw it). Existing clocks started at fetched_at: move them
-- back by the gap, which keeps each brand's minutes per severity.
UPDATE `mentions` SET `sla_due_at` = `sla_due_at` - (`fetched_at` - `created_at`) WHERE `sla_due_at` IS NOT NULL AND `created_at` < `fetched_at`;
--> statement-breakpoint
INSERT INTO `queue_counts` (`source_id`, `open`, `unanswered`, `arrived_overdue`)
  SELECT `source_id`, count(*), coalesce(sum(`first_response_at` IS NULL), 0), coalesce(sum(`first_response_at` IS NULL AND `sla_due_at` <= `fetched_at`), 0)
  FROM `mentions` WHERE `relevant` = 1 AND `status` IN ('new', 'triaged', 'drafting', 'awaiting_approval', 'approved', 'escalated') AND `sla_due_at` IS NOT NULL
  GROUP BY `source_id`;
--> statement-breakpoint
INSERT INTO `daily_counts` (`source_id`, `day`, `category`, `count`)
  SELECT `source_id`, `created_at` / 86400000, coalesce(`category`, 'unclassified'), count(*) FROM `mentions` GROUP BY 1, 2, 3;
--> statement-breakpoint
CREATE TRIGGER `queue_counts_insert` AFTER INSERT ON `mentions`
WHEN new.relevant = 1 AND new.status IN ('new', 'triaged', 'drafting', 'awaiting_approval', 'approved', 'escalated') AND new.sla_due_at IS NOT NULL
BEGIN
  INSERT INTO `queue_counts` (`source_id`, `open`, `unanswered`, `arrived_overdue`)
    SELECT new.source_id, 1, new.first_response_at IS NULL, new.first_response_at IS NULL AND new.sla_due_at <= new.fetched_at WHERE 1
    ON CONFLICT (`source_id`) DO UPDATE SET `open` = `open` + excluded.`open`, `unanswered` = `unanswered` + excluded.`unanswered`, `arrived_overdue` = `arrived_overdue` + excluded.`arrived_overdue`;
END;
--> statement-breakpoint
CREATE TRIGGER `queue_counts_delete` AFTER DELETE ON `mentions`
WHEN old.relevant = 1 AND old.status IN ('new', 'triaged', 'drafting', 'awaiting_approval', 'approved', 'escalated') AND old.sla_due_at IS NOT NULL
BEGIN
  INSERT INTO `queue_counts` (`source_id`, `open`, `unanswered`, `arrived_overdue`)
    SELECT old.source_id, -1, -(old.first_response_at IS NULL), -(old.first_response_at IS NULL AND old.sla_due_at <= old.fetched_at) WHERE 1
    ON CONFLICT (`source_id`) DO UPDATE SET `open` = `open` + excluded.`open`, `unanswered` = `unanswered` + excluded.`unanswered`, `arrived_overdue` = `arrived_overdue` + excluded.`arrived_overdue`;
END;
--> statement-breakpoint
CREATE TRIGGER `queue_counts_update` AFTER UPDATE OF `relevant`, `status`, `sla_due_at`, `first_response_at`, `fetched_at`, `source_id` ON `mentions`
WHEN (old.relevant = 1 AND old.status IN ('new', 'triaged', 'drafting', 'awaiting_approval', 'approved', 'escalated') AND old.sla_due_at IS NOT NULL)
  OR (new.relevant = 1 AND new.status IN ('new', 'triaged', 'drafting', 'awaiting_approval', 'approved', 'escalated') AND new.sla_due_at IS NOT NULL)
BEGIN
  INSERT INTO `queue_counts` (`source_id`, `open`, `unanswered`, `arrived_overdue`)
    SELECT old.source_id, -1, -(old.first_response_at IS NULL), -(old.first_response_at IS NULL AND old.sla_due_at <= old.fetched_at)
    WHERE old.relevant = 1 AND old.status IN ('new', 'triaged', 'drafting', 'awaiting_approval', 'approved', 'escalated') AND old.sla_due_at IS NOT NULL
    ON CONFLICT (`source_id`) DO UPDATE SET `open` = `open` + excluded.`open`, `unanswered` = `unanswered` + excluded.`unanswered`, `arrived_overdue` = `arrived_overdue` + excluded.`arrived_overdue`;
  INSERT INTO `queue_counts` (`source_id`, `open`, `unanswered`, `arrived_overdue`)
    SELECT new.source_id, 1, new.first_response_at IS NULL, new.first_response_at IS NULL AND new.sla_due_at <= new.fetched_at
    WHERE new.relevant = 1 AND new.status IN ('new', 'triaged', 'drafting', 'awaiting_approval', 'approved', 'escalated') AND new.sla_due_at IS NOT NULL
    ON CONFLICT (`source_id`) DO UPDATE SET `open` = `open` + excluded.`open`, `unanswered` = `unanswered` + excluded.`unanswered`, `arrived_overdue` = `arrived_overdue` + excluded.`arrived_overdue`;
END;
--> statement-breakpoint
CREATE TRIGGER `daily_counts_insert` AFTER INSERT ON `mentions`
BEGIN
  INSERT INTO `daily_counts` (`source_id`, `day`, `category`, `count`)
    SELECT new.source_id, new.created_at / 86400000, coalesce(new.category, 'unclassified'), 1 WHERE 1
    ON CONFLICT (`source_id`, `day`, `category`) DO UPDATE SET `count` = `count` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `daily_counts_delete` AFTER DELETE ON `mentions`
BEGIN
  UPDATE `daily_counts` SET `count` = `count` - 1
    WHERE `source_id` = old.source_id AND `day` = old.created_at / 86400000 AND `category` = coalesce(old.category, 'unclassified');
END;
--> statement-breakpoint
CREATE TRIGGER `daily_counts_update` AFTER UPDATE OF `category`, `created_at`, `source_id` ON `mentions`
WHEN old.category IS NOT new.category OR old.created_at / 86400000 <> new.created_at / 86400000 OR old.source_id <> new.source_id
BEGIN
  UPDATE `daily_counts` SET `count` = `count` - 1
    WHERE `source_id` = old.source_id AND `day` = old.created_at / 86400000 AND `category` = coalesce(old.category, 'unclassified');
  INSERT INTO `daily_counts` (`source_id`, `day`, `category`, `count`)
    SELECT new.source_id, new.created_at / 86400000, coalesce(new.category, 'unclassified'), 1 WHERE 1
    ON CONFLICT (`source_id`, `day`, `category`) DO UPDATE SET `count` = `count` + 1;
END;
