CREATE TABLE `page_changes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`scope` text NOT NULL
);
--> statement-breakpoint
CREATE TRIGGER `page_changes_components_ins` AFTER INSERT ON `components` BEGIN
  INSERT INTO page_changes (scope) VALUES ('*');
END;
--> statement-breakpoint
CREATE TRIGGER `page_changes_components_upd` AFTER UPDATE ON `components` BEGIN
  INSERT INTO page_changes (scope) VALUES ('*');
END;
--> statement-breakpoint
CREATE TRIGGER `page_changes_components_del` AFTER DELETE ON `components` BEGIN
  INSERT INTO page_changes (scope) VALUES ('*');
END;
--> statement-breakpoint
CREATE TRIGGER `page_changes_component_groups_ins` AFTER INSERT ON `component_groups` BEGIN
  INSERT INTO page_changes (scope) VALUES ('*');
END;
--> statement-breakpoint
CREATE TRIGGER `page_changes_component_groups_upd` AFTER UPDATE ON `component_groups` BEGIN
  INSERT INTO page_changes (scope) VALUES ('*');
END;
--> statement-breakpoint
CREATE TRIGGER `page_changes_component_groups_del` AFTER DELETE ON `component_groups` BEGIN
  INSERT INTO page_changes (scope) VALUES ('*');
END;
--> statement-breakpoint
CREATE TRIGGER `page_changes_sla_policies_ins` AFTER INSERT ON `sla_policies` BEGIN
  INSERT INTO page_changes (scope) VALUES ('*');
END;
--> statement-breakpoint
CREATE TRIGGER `page_changes_sla_policies_upd` AFTER UPDATE ON `sla_policies` BEGIN
  INSERT INTO page_changes (scope) VALUES ('*');
END;
--> statement-breakpoint
CREATE TRIGGER `page_changes_sla_policies_del` AFTER DELETE ON `sla_policies` BEGIN
  INSERT INTO page_changes (scope) VALUES ('*');
END;
--> statement-breakpoint
CREATE TRIGGER `page_changes_site_settings_upd` AFTER UPDATE ON `site_settings` WHEN NEW.data_version = OLD.data_version BEGIN
  INSERT INTO page_changes (scope) VALUES ('*');
END;
--> statement-breakpoint
CREATE TRIGGER `page_changes_incidents_ins` AFTER INSERT ON `incidents` BEGIN
  INSERT INTO page_changes (scope) SELECT 'incident:' || public_id FROM incidents WHERE id = NEW.id
    UNION SELECT 'component:' || c.slug FROM impact_periods p JOIN components c ON c.id = p.component_id WHERE p.incident_id = NEW.id;
END;
--> statement-breakpoint
CREATE TRIGGER `page_changes_incidents_upd` AFTER UPDATE ON `incidents` BEGIN
  INSERT INTO page_changes (scope) SELECT 'incident:' || public_id FROM incidents WHERE id = NEW.id
    UNION SELECT 'component:' || c.slug FROM impact_periods p JOIN components c ON c.id = p.component_id WHERE p.incident_id = NEW.id;
END;
--> statement-breakpoint
CREATE TRIGGER `page_changes_incidents_del` AFTER DELETE ON `incidents` BEGIN
  INSERT INTO page_changes (scope) VALUES ('*');
END;
--> statement-breakpoint
CREATE TRIGGER `page_changes_incident_updates_ins` AFTER INSERT ON `incident_updates` BEGIN
  INSERT INTO page_changes (scope) SELECT 'incident:' || public_id FROM incidents WHERE id = NEW.incident_id
    UNION SELECT 'component:' || c.slug FROM impact_periods p JOIN components c ON c.id = p.component_id WHERE p.incident_id = NEW.incident_id;
END;
--> statement-breakpoint
CREATE TRIGGER `page_changes_incident_updates_upd` AFTER UPDATE ON `incident_updates` BEGIN
  INSERT INTO page_changes (scope) SELECT 'incident:' || public_id FROM incidents WHERE id = NEW.incident_id
    UNION SELECT 'component:' || c.slug FROM impact_periods p JOIN components c ON c.id = p.component_id WHERE p.incident_id = NEW.incident_id;
END;
--> statement-breakpoint
CREATE TRIGGER `page_changes_incident_updates_del` AFTER DELETE ON `incident_updates` BEGIN
  INSERT INTO page_changes (scope) SELECT 'incident:' || public_id FROM incidents WHERE id = OLD.incident_id
    UNION SELECT 'component:' || c.slug FROM impact_periods p JOIN components c ON c.id = p.component_id WHERE p.incident_id = OLD.incident_id;
END;
--> statement-breakpoint
CREATE TRIGGER `page_changes_impact_corrections_ins` AFTER INSERT ON `impact_corrections` BEGIN
  INSERT INTO page_changes (scope) SELECT 'incident:' || public_id FROM incidents WHERE id = NEW.incident_id
    UNION SELECT 'component:' || c.slug FROM impact_periods p JOIN components c ON c.id = p.component_id WHERE p.incident_id = NEW.incident_id;
END;
--> statement-breakpoint
CREATE TRIGGER `page_changes_impact_corrections_upd` AFTER UPDATE ON `impact_corrections` BEGIN
  INSERT INTO page_changes (scope) SELECT 'incident:' || public_id FROM incidents WHERE id = NEW.incident_id
    UNION SELECT 'component:' || c.slug FROM impact_periods p JOIN components c ON c.id = p.component_id WHERE p.incident_id = NEW.incident_id;
END;
--> statement-breakpoint
CREATE TRIGGER `page_changes_impact_corrections_del` AFTER DELETE ON `impact_corrections` BEGIN
  INSERT INTO page_changes (scope) SELECT 'incident:' || public_id FROM incidents WHERE id = OLD.incident_id
    UNION SELECT 'component:' || c.slug FROM impact_periods p JOIN components c ON c.id = p.component_id WHERE p.incident_id = OLD.incident_id;
END;
--> statement-breakpoint
CREATE TRIGGER `page_changes_postmortems_ins` AFTER INSERT ON `postmortems` BEGIN
  INSERT INTO page_changes (scope) SELECT 'incident:' || public_id FROM incidents WHERE id = NEW.incident_id
    UNION SELECT 'component:' || c.slug FROM impact_periods p JOIN components c ON c.id = p.component_id WHERE p.incident_id = NEW.incident_id;
END;
--> statement-breakpoint
CREATE TRIGGER `page_changes_postmortems_upd` AFTER UPDATE ON `postmortems` BEGIN
  INSERT INTO page_changes (scope) SELECT 'incident:' || public_id FROM incidents WHERE id = NEW.incident_id
    UNION SELECT 'component:' || c.slug FROM impact_periods p JOIN components c ON c.id = p.component_id WHERE p.incident_id = NEW.incident_id;
END;
--> statement-breakpoint
CREATE TRIGGER `page_changes_postmortems_del` AFTER DELETE ON `postmortems` BEGIN
  INSERT INTO page_changes (scope) SELECT 'incident:' || public_id FROM incidents WHERE id = OLD.incident_id
    UNION SELECT 'component:' || c.slug FROM impact_periods p JOIN components c ON c.id = p.component_id WHERE p.incident_id = OLD.incident_id;
END;
--> statement-breakpoint
CREATE TRIGGER `page_changes_update_revisions_ins` AFTER INSERT ON `update_revisions` BEGIN
  INSERT INTO page_changes (scope) SELECT 'incident:' || public_id FROM incidents WHERE id = (SELECT incident_id FROM incident_updates WHERE id = NEW.update_id)
    UNION SELECT 'component:' || c.slug FROM impact_periods p JOIN components c ON c.id = p.component_id WHERE p.incident_id = (SELECT incident_id FROM incident_updates WHERE id = NEW.update_id);
END;
--> statement-breakpoint
CREATE TRIGGER `page_changes_update_revisions_upd` AFTER UPDATE ON `update_revisions` BEGIN
  INSERT INTO page_changes (scope) SELECT 'incident:' || public_id FROM incidents WHERE id = (SELECT incident_id FROM incident_updates WHERE id = NEW.update_id)
    UNION SELECT 'component:' || c.slug FROM impact_periods p JOIN components c ON c.id = p.component_id WHERE p.incident_id = (SELECT incident_id FROM incident_updates WHERE id = NEW.update_id);
END;
--> statement-breakpoint
CREATE TRIGGER `page_changes_update_revisions_del` AFTER DELETE ON `update_revisions` BEGIN
  INSERT INTO page_changes (scope) SELECT 'incident:' || public_id FROM incidents WHERE id = (SELECT incident_id FROM incident_updates WHERE id = OLD.update_id)
    UNION SELECT 'component:' || c.slug FROM impact_periods p JOIN components c ON c.id = p.component_id WHERE p.incident_id = (SELECT incident_id FROM incident_updates WHERE id = OLD.update_id);
END;
--> statement-breakpoint
CREATE TRIGGER `page_changes_incident_update_components_ins` AFTER INSERT ON `incident_update_components` BEGIN
  INSERT INTO page_changes (scope) SELECT 'incident:' || public_id FROM incidents WHERE id = (SELECT incident_id FROM incident_updates WHERE id = NEW.update_id)
    UNION SELECT 'component:' || c.slug FROM impact_periods p JOIN components c ON c.id = p.component_id WHERE p.incident_id = (SELECT incident_id FROM incident_updates WHERE id = NEW.update_id)
    UNION SELECT 'component:' || slug FROM components WHERE id = NEW.component_id;
END;
--> statement-breakpoint
CREATE TRIGGER `page_changes_incident_update_components_upd` AFTER UPDATE ON `incident_update_components` BEGIN
  INSERT INTO page_changes (scope) SELECT 'incident:' || public_id FROM incidents WHERE id = (SELECT incident_id FROM incident_updates WHERE id = NEW.update_id)
    UNION SELECT 'component:' || c.slug FROM impact_periods p JOIN components c ON c.id = p.component_id WHERE p.incident_id = (SELECT incident_id FROM incident_updates WHERE id = NEW.update_id)
    UNION SELECT 'component:' || slug FROM components WHERE id = NEW.component_id;
END;
--> statement-breakpoint
CREATE TRIGGER `page_changes_incident_update_components_del` AFTER DELETE ON `incident_update_components` BEGIN
  INSERT INTO page_changes (scope) SELECT 'incident:' || public_id FROM incidents WHERE id = (SELECT incident_id FROM incident_updates WHERE id = OLD.update_id)
    UNION SELECT 'component:' || c.slug FROM impact_periods p JOIN components c ON c.id = p.component_id WHERE p.incident_id = (SELECT incident_id FROM incident_updates WHERE id = OLD.update_id)
    UNION SELECT 'component:' || slug FROM components WHERE id = OLD.component_id;
END;
--> statement-breakpoint
CREATE TRIGGER `page_changes_impact_periods_ins` AFTER INSERT ON `impact_periods` BEGIN
  INSERT INTO page_changes (scope) SELECT 'incident:' || public_id FROM incidents WHERE id = NEW.incident_id
    UNION SELECT 'component:' || c.slug FROM impact_periods p JOIN components c ON c.id = p.component_id WHERE p.incident_id = NEW.incident_id
    UNION SELECT 'maintenance:' || public_id FROM maintenances WHERE id = NEW.maintenance_id
    UNION SELECT 'component:' || c.slug FROM maintenance_components mc JOIN components c ON c.id = mc.component_id WHERE mc.maintenance_id = NEW.maintenance_id
    UNION SELECT 'component:' || c.slug FROM impact_periods p JOIN components c ON c.id = p.component_id WHERE p.maintenance_id = NEW.maintenance_id
    UNION SELECT 'component:' || slug FROM components WHERE id = NEW.component_id;
END;
--> statement-breakpoint
CREATE TRIGGER `page_changes_impact_periods_upd` AFTER UPDATE ON `impact_periods` BEGIN
  INSERT INTO page_changes (scope) SELECT 'incident:' || public_id FROM incidents WHERE id = OLD.incident_id
    UNION SELECT 'component:' || c.slug FROM impact_periods p JOIN components c ON c.id = p.component_id WHERE p.incident_id = OLD.incident_id
    UNION SELECT 'maintenance:' || public_id FROM maintenances WHERE id = OLD.maintenance_id
    UNION SELECT 'component:' || c.slug FROM maintenance_components mc JOIN components c ON c.id = mc.component_id WHERE mc.maintenance_id = OLD.maintenance_id
    UNION SELECT 'component:' || c.slug FROM impact_periods p JOIN components c ON c.id = p.component_id WHERE p.maintenance_id = OLD.maintenance_id
    UNION SELECT 'component:' || slug FROM components WHERE id = OLD.component_id
    UNION SELECT 'incident:' || public_id FROM incidents WHERE id = NEW.incident_id
    UNION SELECT 'component:' || c.slug FROM impact_periods p JOIN components c ON c.id = p.component_id WHERE p.incident_id = NEW.incident_id
    UNION SELECT 'maintenance:' || public_id FROM maintenances WHERE id = NEW.maintenance_id
    UNION SELECT 'component:' || c.slug FROM maintenance_components mc JOIN components c ON c.id = mc.component_id WHERE mc.maintenance_id = NEW.maintenance_id
    UNION SELECT 'component:' || c.slug FROM impact_periods p JOIN components c ON c.id = p.component_id WHERE p.maintenance_id = NEW.maintenance_id
    UNION SELECT 'component:' || slug FROM components WHERE id = NEW.component_id;
END;
--> statement-breakpoint
CREATE TRIGGER `page_changes_impact_periods_del` AFTER DELETE ON `impact_periods` BEGIN
  INSERT INTO page_changes (scope) SELECT 'incident:' || public_id FROM incidents WHERE id = OLD.incident_id
    UNION SELECT 'component:' || c.slug FROM impact_periods p JOIN components c ON c.id = p.component_id WHERE p.incident_id = OLD.incident_id
    UNION SELECT 'maintenance:' || public_id FROM maintenances WHERE id = OLD.maintenance_id
    UNION SELECT 'component:' || c.slug FROM maintenance_components mc JOIN components c ON c.id = mc.component_id WHERE mc.maintenance_id = OLD.maintenance_id
    UNION SELECT 'component:' || c.slug FROM impact_periods p JOIN components c ON c.id = p.component_id WHERE p.maintenance_id = OLD.maintenance_id
    UNION SELECT 'component:' || slug FROM components WHERE id = OLD.component_id;
END;
--> statement-breakpoint
CREATE TRIGGER `page_changes_maintenances_ins` AFTER INSERT ON `maintenances` BEGIN
  INSERT INTO page_changes (scope) SELECT 'maintenance:' || public_id FROM maintenances WHERE id = NEW.id
    UNION SELECT 'component:' || c.slug FROM maintenance_components mc JOIN components c ON c.id = mc.component_id WHERE mc.maintenance_id = NEW.id
    UNION SELECT 'component:' || c.slug FROM impact_periods p JOIN components c ON c.id = p.component_id WHERE p.maintenance_id = NEW.id;
END;
--> statement-breakpoint
CREATE TRIGGER `page_changes_maintenances_upd` AFTER UPDATE ON `maintenances` BEGIN
  INSERT INTO page_changes (scope) SELECT 'maintenance:' || public_id FROM maintenances WHERE id = NEW.id
    UNION SELECT 'component:' || c.slug FROM maintenance_components mc JOIN components c ON c.id = mc.component_id WHERE mc.maintenance_id = NEW.id
    UNION SELECT 'component:' || c.slug FROM impact_periods p JOIN components c ON c.id = p.component_id WHERE p.maintenance_id = NEW.id;
END;
--> statement-breakpoint
CREATE TRIGGER `page_changes_maintenances_del` AFTER DELETE ON `maintenances` BEGIN
  INSERT INTO page_changes (scope) VALUES ('*');
END;
--> statement-breakpoint
CREATE TRIGGER `page_changes_maintenance_updates_ins` AFTER INSERT ON `maintenance_updates` BEGIN
  INSERT INTO page_changes (scope) SELECT 'maintenance:' || public_id FROM maintenances WHERE id = NEW.maintenance_id
    UNION SELECT 'component:' || c.slug FROM maintenance_components mc JOIN components c ON c.id = mc.component_id WHERE mc.maintenance_id = NEW.maintenance_id
    UNION SELECT 'component:' || c.slug FROM impact_periods p JOIN components c ON c.id = p.component_id WHERE p.maintenance_id = NEW.maintenance_id;
END;
--> statement-breakpoint
CREATE TRIGGER `page_changes_maintenance_updates_upd` AFTER UPDATE ON `maintenance_updates` BEGIN
  INSERT INTO page_changes (scope) SELECT 'maintenance:' || public_id FROM maintenances WHERE id = NEW.maintenance_id
    UNION SELECT 'component:' || c.slug FROM maintenance_components mc JOIN components c ON c.id = mc.component_id WHERE mc.maintenance_id = NEW.maintenance_id
    UNION SELECT 'component:' || c.slug FROM impact_periods p JOIN components c ON c.id = p.component_id WHERE p.maintenance_id = NEW.maintenance_id;
END;
--> statement-breakpoint
CREATE TRIGGER `page_changes_maintenance_updates_del` AFTER DELETE ON `maintenance_updates` BEGIN
  INSERT INTO page_changes (scope) SELECT 'maintenance:' || public_id FROM maintenances WHERE id = OLD.maintenance_id
    UNION SELECT 'component:' || c.slug FROM maintenance_components mc JOIN components c ON c.id = mc.component_id WHERE mc.maintenance_id = OLD.maintenance_id
    UNION SELECT 'component:' || c.slug FROM impact_periods p JOIN components c ON c.id = p.component_id WHERE p.maintenance_id = OLD.maintenance_id;
END;
--> statement-breakpoint
CREATE TRIGGER `page_changes_maintenance_components_ins` AFTER INSERT ON `maintenance_components` BEGIN
  INSERT INTO page_changes (scope) SELECT 'maintenance:' || public_id FROM maintenances WHERE id = NEW.maintenance_id
    UNION SELECT 'component:' || c.slug FROM maintenance_components mc JOIN components c ON c.id = mc.component_id WHERE mc.maintenance_id = NEW.maintenance_id
    UNION SELECT 'component:' || c.slug FROM impact_periods p JOIN components c ON c.id = p.component_id WHERE p.maintenance_id = NEW.maintenance_id
    UNION SELECT 'component:' || slug FROM components WHERE id = NEW.component_id;
END;
--> statement-breakpoint
CREATE TRIGGER `page_changes_maintenance_components_upd` AFTER UPDATE ON `maintenance_components` BEGIN
  INSERT INTO page_changes (scope) SELECT 'maintenance:' || public_id FROM maintenances WHERE id = OLD.maintenance_id
    UNION SELECT 'component:' || c.slug FROM maintenance_components mc JOIN components c ON c.id = mc.component_id WHERE mc.maintenance_id = OLD.maintenance_id
    UNION SELECT 'component:' || c.slug FROM impact_periods p JOIN components c ON c.id = p.component_id WHERE p.maintenance_id = OLD.maintenance_id
    UNION SELECT 'component:' || slug FROM components WHERE id = OLD.component_id
    UNION SELECT 'maintenance:' || public_id FROM maintenances WHERE id = NEW.maintenance_id
    UNION SELECT 'component:' || c.slug FROM maintenance_components mc JOIN components c ON c.id = mc.component_id WHERE mc.maintenance_id = NEW.maintenance_id
    UNION SELECT 'component:' || c.slug FROM impact_periods p JOIN components c ON c.id = p.component_id WHERE p.maintenance_id = NEW.maintenance_id
    UNION SELECT 'component:' || slug FROM components WHERE id = NEW.component_id;
END;
--> statement-breakpoint
CREATE TRIGGER `page_changes_maintenance_components_del` AFTER DELETE ON `maintenance_components` BEGIN
  INSERT INTO page_changes (scope) SELECT 'maintenance:' || public_id FROM maintenances WHERE id = OLD.maintenance_id
    UNION SELECT 'component:' || c.slug FROM maintenance_components mc JOIN components c ON c.id = mc.component_id WHERE mc.maintenance_id = OLD.maintenance_id
    UNION SELECT 'component:' || c.slug FROM impact_periods p JOIN components c ON c.id = p.component_id WHERE p.maintenance_id = OLD.maintenance_id
    UNION SELECT 'component:' || slug FROM components WHERE id = OLD.component_id;
END;
