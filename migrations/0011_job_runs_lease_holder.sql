ALTER TABLE `job_runs` ADD `lease` text;--> statement-breakpoint
ALTER TABLE `job_runs` ADD `holder` text;--> statement-breakpoint
CREATE INDEX `job_runs_running` ON `job_runs` (`lease`) WHERE status = 'running';