ALTER TABLE `sla_policies` ADD `response_credit_tiers` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `sla_policies` ADD `class_labels` text DEFAULT '{}' NOT NULL;