CREATE TABLE `component_announcements` (
	`component_id` integer PRIMARY KEY NOT NULL,
	`level` text NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`component_id`) REFERENCES `components`(`id`) ON UPDATE no action ON DELETE cascade
);
