CREATE TABLE `alert_sources` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`public_id` text NOT NULL,
	`slug` text NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`token_hash` text NOT NULL,
	`rules` text DEFAULT '[]' NOT NULL,
	`disabled_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `alert_sources_public_id_unique` ON `alert_sources` (`public_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `alert_sources_slug_unique` ON `alert_sources` (`slug`);--> statement-breakpoint
CREATE UNIQUE INDEX `alert_sources_token_hash_unique` ON `alert_sources` (`token_hash`);--> statement-breakpoint
CREATE TABLE `alerts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`source_id` integer NOT NULL,
	`key` text NOT NULL,
	`incident_id` integer,
	`status` text NOT NULL,
	`title` text NOT NULL,
	`labels` text NOT NULL,
	`starts_at` integer NOT NULL,
	`ends_at` integer,
	`last_received_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`source_id`) REFERENCES `alert_sources`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `alerts_source_key` ON `alerts` (`source_id`,`key`);--> statement-breakpoint
CREATE INDEX `alerts_incident` ON `alerts` (`incident_id`);--> statement-breakpoint
CREATE TABLE `import_records` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`source` text NOT NULL,
	`kind` text NOT NULL,
	`external_id` text NOT NULL,
	`local_id` integer NOT NULL,
	`imported_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `import_records_source_kind_external` ON `import_records` (`source`,`kind`,`external_id`);--> statement-breakpoint
CREATE TABLE `incident_notes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`incident_id` integer NOT NULL,
	`body` text NOT NULL,
	`at` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `incident_notes_incident` ON `incident_notes` (`incident_id`,`at`);--> statement-breakpoint
ALTER TABLE `incident_updates` ADD `origin` text DEFAULT 'staff' NOT NULL;--> statement-breakpoint
ALTER TABLE `incidents` ADD `draft` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `incidents` ADD `published_at` integer;--> statement-breakpoint
ALTER TABLE `incidents` ADD `detected_at` integer;--> statement-breakpoint
ALTER TABLE `incidents` ADD `proposed_components` text;--> statement-breakpoint
ALTER TABLE `incidents` ADD `imported_from` text;--> statement-breakpoint
ALTER TABLE `maintenances` ADD `imported_from` text;