ALTER TABLE `alerts` ADD `auto_periods` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `components` ADD `alert_levels` integer DEFAULT false NOT NULL;