ALTER TABLE `site_settings` ADD `require_totp` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `totp_last_step` integer;