CREATE TABLE `subscriber_groups` (
	`subscriber_id` integer NOT NULL,
	`group_id` integer NOT NULL,
	PRIMARY KEY(`subscriber_id`, `group_id`),
	FOREIGN KEY (`subscriber_id`) REFERENCES `subscribers`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`group_id`) REFERENCES `component_groups`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `subscriber_groups_group` ON `subscriber_groups` (`group_id`);