DROP INDEX `mentions_flagged`;--> statement-breakpoint
CREATE INDEX `mentions_flag_dispute` ON `mentions` (`created_at`,`id`) WHERE instr(flags, '"dispute"') > 0;--> statement-breakpoint
CREATE INDEX `mentions_flag_cease_contact` ON `mentions` (`created_at`,`id`) WHERE instr(flags, '"cease_contact"') > 0;--> statement-breakpoint
CREATE INDEX `mentions_flag_attorney` ON `mentions` (`created_at`,`id`) WHERE instr(flags, '"attorney"') > 0;--> statement-breakpoint
CREATE INDEX `mentions_flag_bankruptcy` ON `mentions` (`created_at`,`id`) WHERE instr(flags, '"bankruptcy"') > 0;--> statement-breakpoint
CREATE INDEX `mentions_flag_identity_theft` ON `mentions` (`created_at`,`id`) WHERE instr(flags, '"identity_theft"') > 0;--> statement-breakpoint
CREATE INDEX `mentions_flag_deceased` ON `mentions` (`created_at`,`id`) WHERE instr(flags, '"deceased"') > 0;--> statement-breakpoint
CREATE INDEX `mentions_flag_servicemember` ON `mentions` (`created_at`,`id`) WHERE instr(flags, '"servicemember"') > 0;--> statement-breakpoint
CREATE INDEX `mentions_flag_scam_report` ON `mentions` (`created_at`,`id`) WHERE instr(flags, '"scam_report"') > 0;--> statement-breakpoint
CREATE INDEX `mentions_flag_regulator` ON `mentions` (`created_at`,`id`) WHERE instr(flags, '"regulator"') > 0;--> statement-breakpoint
CREATE INDEX `mentions_flag_self_harm` ON `mentions` (`created_at`,`id`) WHERE instr(flags, '"self_harm"') > 0;--> statement-breakpoint
CREATE INDEX `mentions_flag_pii` ON `mentions` (`created_at`,`id`) WHERE instr(flags, '"pii"') > 0;