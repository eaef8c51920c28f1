CREATE TABLE `audit_chain_heads` (
	`chain` text PRIMARY KEY NOT NULL,
	`last_id` integer NOT NULL,
	`last_hash` text NOT NULL,
	`mac` text NOT NULL
);
