CREATE TABLE `api_tokens` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`public_id` text NOT NULL,
	`name` text NOT NULL,
	`token_hash` text NOT NULL,
	`scopes` text NOT NULL,
	`created_by` integer,
	`created_at` integer NOT NULL,
	`last_used_at` integer,
	`revoked_at` integer,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_tokens_public_id_unique` ON `api_tokens` (`public_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `api_tokens_token_hash_unique` ON `api_tokens` (`token_hash`);--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`actor_user_id` integer,
	`actor_token_id` integer,
	`actor_label` text NOT NULL,
	`action` text NOT NULL,
	`entity_type` text NOT NULL,
	`entity_id` text NOT NULL,
	`before` text,
	`after` text,
	FOREIGN KEY (`actor_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`actor_token_id`) REFERENCES `api_tokens`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `audit_log_at` ON `audit_log` (`at`);--> statement-breakpoint
CREATE INDEX `audit_log_entity` ON `audit_log` (`entity_type`,`entity_id`);--> statement-breakpoint
CREATE TABLE `component_groups` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`public_id` text NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`position` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `component_groups_public_id_unique` ON `component_groups` (`public_id`);--> statement-breakpoint
CREATE TABLE `components` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`public_id` text NOT NULL,
	`slug` text NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`group_id` integer,
	`position` integer NOT NULL,
	`start_date` text,
	`sla_policy_id` integer,
	`showcase` integer DEFAULT true NOT NULL,
	`only_show_if_degraded` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`group_id`) REFERENCES `component_groups`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`sla_policy_id`) REFERENCES `sla_policies`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `components_public_id_unique` ON `components` (`public_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `components_slug_unique` ON `components` (`slug`);--> statement-breakpoint
CREATE INDEX `components_group_position` ON `components` (`group_id`,`position`);--> statement-breakpoint
CREATE TABLE `impact_corrections` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`incident_id` integer NOT NULL,
	`reason` text NOT NULL,
	`before` text NOT NULL,
	`after` text NOT NULL,
	`corrected_at` integer NOT NULL,
	`author_id` integer,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `impact_corrections_incident` ON `impact_corrections` (`incident_id`);--> statement-breakpoint
CREATE TABLE `impact_periods` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`component_id` integer NOT NULL,
	`incident_id` integer,
	`maintenance_id` integer,
	`level` text NOT NULL,
	`started_at` integer NOT NULL,
	`ended_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`component_id`) REFERENCES `components`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`maintenance_id`) REFERENCES `maintenances`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "impact_periods_owner" CHECK(("impact_periods"."incident_id" IS NULL) <> ("impact_periods"."maintenance_id" IS NULL)),
	CONSTRAINT "impact_periods_order" CHECK("impact_periods"."ended_at" IS NULL OR "impact_periods"."ended_at" >= "impact_periods"."started_at")
);
--> statement-breakpoint
CREATE INDEX `impact_periods_component_start` ON `impact_periods` (`component_id`,`started_at`);--> statement-breakpoint
CREATE INDEX `impact_periods_component_end` ON `impact_periods` (`component_id`,`ended_at`);--> statement-breakpoint
CREATE INDEX `impact_periods_end` ON `impact_periods` (`ended_at`);--> statement-breakpoint
CREATE INDEX `impact_periods_incident` ON `impact_periods` (`incident_id`);--> statement-breakpoint
CREATE INDEX `impact_periods_maintenance` ON `impact_periods` (`maintenance_id`);--> statement-breakpoint
CREATE TABLE `incident_update_components` (
	`update_id` integer NOT NULL,
	`component_id` integer NOT NULL,
	`old_status` text NOT NULL,
	`new_status` text NOT NULL,
	PRIMARY KEY(`update_id`, `component_id`),
	FOREIGN KEY (`update_id`) REFERENCES `incident_updates`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`component_id`) REFERENCES `components`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `incident_updates` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`public_id` text NOT NULL,
	`incident_id` integer NOT NULL,
	`kind` text DEFAULT 'update' NOT NULL,
	`status` text NOT NULL,
	`body_md` text NOT NULL,
	`body_html` text NOT NULL,
	`display_at` integer NOT NULL,
	`author_id` integer,
	`edited_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `incident_updates_public_id_unique` ON `incident_updates` (`public_id`);--> statement-breakpoint
CREATE INDEX `incident_updates_incident_display` ON `incident_updates` (`incident_id`,`display_at`);--> statement-breakpoint
CREATE TABLE `incidents` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`public_id` text NOT NULL,
	`title` text NOT NULL,
	`impact` text NOT NULL,
	`status` text NOT NULL,
	`started_at` integer NOT NULL,
	`mitigated_at` integer,
	`impact_ended_at` integer,
	`monitoring_at` integer,
	`resolved_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `incidents_public_id_unique` ON `incidents` (`public_id`);--> statement-breakpoint
CREATE INDEX `incidents_started_at` ON `incidents` (`started_at`);--> statement-breakpoint
CREATE INDEX `incidents_status` ON `incidents` (`status`);--> statement-breakpoint
CREATE TABLE `maintenance_components` (
	`maintenance_id` integer NOT NULL,
	`component_id` integer NOT NULL,
	PRIMARY KEY(`maintenance_id`, `component_id`),
	FOREIGN KEY (`maintenance_id`) REFERENCES `maintenances`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`component_id`) REFERENCES `components`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `maintenance_updates` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`public_id` text NOT NULL,
	`maintenance_id` integer NOT NULL,
	`status` text NOT NULL,
	`body_md` text NOT NULL,
	`body_html` text NOT NULL,
	`display_at` integer NOT NULL,
	`author_id` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`maintenance_id`) REFERENCES `maintenances`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `maintenance_updates_public_id_unique` ON `maintenance_updates` (`public_id`);--> statement-breakpoint
CREATE INDEX `maintenance_updates_maintenance_display` ON `maintenance_updates` (`maintenance_id`,`display_at`);--> statement-breakpoint
CREATE TABLE `maintenances` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`public_id` text NOT NULL,
	`title` text NOT NULL,
	`status` text NOT NULL,
	`scheduled_start` integer NOT NULL,
	`scheduled_end` integer NOT NULL,
	`actual_start` integer,
	`actual_end` integer,
	`verifying_at` integer,
	`announced_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `maintenances_public_id_unique` ON `maintenances` (`public_id`);--> statement-breakpoint
CREATE INDEX `maintenances_scheduled_start` ON `maintenances` (`scheduled_start`);--> statement-breakpoint
CREATE INDEX `maintenances_status` ON `maintenances` (`status`);--> statement-breakpoint
CREATE TABLE `postmortems` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`incident_id` integer NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`body_md` text NOT NULL,
	`body_html` text NOT NULL,
	`published_at` integer,
	`author_id` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `postmortems_incident_id_unique` ON `postmortems` (`incident_id`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`token_hash` text NOT NULL,
	`user_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`revoked_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sessions_token_hash_unique` ON `sessions` (`token_hash`);--> statement-breakpoint
CREATE INDEX `sessions_user` ON `sessions` (`user_id`);--> statement-breakpoint
CREATE TABLE `sign_in_attempts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`key` text NOT NULL,
	`at` integer NOT NULL,
	`succeeded` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sign_in_attempts_key_at` ON `sign_in_attempts` (`key`,`at`);--> statement-breakpoint
CREATE TABLE `site_settings` (
	`id` integer PRIMARY KEY NOT NULL,
	`public_id` text NOT NULL,
	`name` text NOT NULL,
	`url` text NOT NULL,
	`time_zone` text NOT NULL,
	`accent_color` text DEFAULT '#2f5fd0' NOT NULL,
	`history_days` integer DEFAULT 90 NOT NULL,
	`default_sla_policy_id` integer,
	`data_version` integer DEFAULT 1 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`default_sla_policy_id`) REFERENCES `sla_policies`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "site_settings_singleton" CHECK("site_settings"."id" = 1)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `site_settings_public_id_unique` ON `site_settings` (`public_id`);--> statement-breakpoint
CREATE TABLE `sla_policies` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`public_id` text NOT NULL,
	`name` text NOT NULL,
	`availability_target` real NOT NULL,
	`credit_tiers` text DEFAULT '[]' NOT NULL,
	`weights` text NOT NULL,
	`maintenance_notice_days` integer DEFAULT 0 NOT NULL,
	`maintenance_max_hours` real,
	`maintenance_max_per_year` integer,
	`maintenance_allowed_days` text,
	`response_targets` text DEFAULT '{}' NOT NULL,
	`response_compliance_target` real DEFAULT 0.98 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sla_policies_public_id_unique` ON `sla_policies` (`public_id`);--> statement-breakpoint
CREATE TABLE `update_revisions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`update_id` integer NOT NULL,
	`body_md` text NOT NULL,
	`body_html` text NOT NULL,
	`revised_at` integer NOT NULL,
	`editor_id` integer,
	FOREIGN KEY (`update_id`) REFERENCES `incident_updates`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`editor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `update_revisions_update` ON `update_revisions` (`update_id`,`revised_at`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`public_id` text NOT NULL,
	`email` text NOT NULL,
	`name` text NOT NULL,
	`role` text NOT NULL,
	`password_hash` text NOT NULL,
	`totp_secret` text,
	`totp_enabled_at` integer,
	`disabled_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_public_id_unique` ON `users` (`public_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `users_email_unique` ON `users` (`email`);