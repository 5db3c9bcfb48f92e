// Candor's whole data model. All instants are UTC epoch milliseconds (integers);
// calendar dates (a component's start date) are ISO `YYYY-MM-DD` text in the site time zone.
import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { IMPACT_LEVELS, INCIDENT_IMPACTS, INCIDENT_STATUSES, MAINTENANCE_STATUSES, STAFF_ROLES, UPDATE_KINDS } from '../src/domain/status.ts';

const ms = (name: string) => integer(name, { mode: 'number' });
const publicId = () => text('public_id').notNull().unique();
const stamps = {
  createdAt: ms('created_at').notNull(),
  updatedAt: ms('updated_at').notNull(),
};

export const siteSettings = sqliteTable(
  'site_settings',
  {
    id: integer('id').primaryKey(),
    publicId: publicId(),
    name: text('name').notNull(),
    url: text('url').notNull(),
    timeZone: text('time_zone').notNull(),
    accentColor: text('accent_color').notNull().default('#2f5fd0'),
    historyDays: integer('history_days').notNull().default(90),
    defaultSlaPolicyId: integer('default_sla_policy_id').references(() => slaPolicies.id),
    /** Owners may require every staff account to use a second factor (TOTP). */
    requireTotp: integer('require_totp', { mode: 'boolean' }).notNull().default(false),
    /** Subscribers get a reminder this many minutes before a maintenance window starts; 0 = none. */
    maintenanceReminderMinutes: integer('maintenance_reminder_minutes').notNull().default(60),
    // Bumped in the same transaction as every write; caches key on it.
    dataVersion: integer('data_version').notNull().default(1),
    ...stamps,
  },
  (t) => [check('site_settings_singleton', sql`${t.id} = 1`)],
);

export const slaPolicies = sqliteTable('sla_policies', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  publicId: publicId(),
  name: text('name').notNull(),
  /** Monthly availability target as a fraction, e.g. 0.999. */
  availabilityTarget: real('availability_target').notNull(),
  /** JSON: [{ below: 0.999, creditPercent: 10 }, …] — credit when availability < below. */
  creditTiers: text('credit_tiers').notNull().default('[]'),
  /** JSON: weight per level, e.g. { major_outage: 1, partial_outage: 0.3, degraded_performance: 0 }. */
  weights: text('weights').notNull(),
  maintenanceNoticeDays: integer('maintenance_notice_days').notNull().default(0),
  maintenanceMaxHours: real('maintenance_max_hours'),
  maintenanceMaxPerYear: integer('maintenance_max_per_year'),
  /** JSON array of ISO weekdays (1 = Monday … 7 = Sunday) or null for any day. */
  maintenanceAllowedDays: text('maintenance_allowed_days'),
  /** JSON: minutes to first public update per impact, e.g. { critical: 120, major: 240, minor: 480 }. */
  responseTargets: text('response_targets').notNull().default('{}'),
  /** Share of incidents in a month that must meet their response target, e.g. 0.98. */
  responseComplianceTarget: real('response_compliance_target').notNull().default(0.98),
  /** JSON: [{ below: 0.98, creditPercent: 5 }, …] — credit when response-time compliance < below. */
  responseCreditTiers: text('response_credit_tiers').notNull().default('[]'),
  /**
   * JSON: the contract's own names for the impact classes, e.g. { critical: 'Critical',
   * major: 'Semi-critical', minor: 'Non-critical' }. Labels only: the impacts stay the data.
   */
  classLabels: text('class_labels').notNull().default('{}'),
  ...stamps,
});

export const componentGroups = sqliteTable('component_groups', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  publicId: publicId(),
  name: text('name').notNull(),
  description: text('description'),
  position: integer('position').notNull(),
  ...stamps,
});

export const components = sqliteTable(
  'components',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    publicId: publicId(),
    slug: text('slug').notNull().unique(),
    name: text('name').notNull(),
    description: text('description'),
    groupId: integer('group_id').references(() => componentGroups.id, { onDelete: 'set null' }),
    position: integer('position').notNull(),
    /** First day the component existed (site time zone); earlier time is not counted. */
    startDate: text('start_date'),
    slaPolicyId: integer('sla_policy_id').references(() => slaPolicies.id, { onDelete: 'set null' }),
    showcase: integer('showcase', { mode: 'boolean' }).notNull().default(true),
    onlyShowIfDegraded: integer('only_show_if_degraded', { mode: 'boolean' }).notNull().default(false),
    /**
     * Alerts mapped to this component set its level themselves (on the alert's incident, even a
     * draft) and clearing restores it. Off by default: staff set levels.
     */
    alertLevels: integer('alert_levels', { mode: 'boolean' }).notNull().default(false),
    ...stamps,
  },
  (t) => [index('components_group_position').on(t.groupId, t.position)],
);

export const incidents = sqliteTable(
  'incidents',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    publicId: publicId(),
    title: text('title').notNull(),
    impact: text('impact', { enum: INCIDENT_IMPACTS }).notNull(),
    status: text('status', { enum: INCIDENT_STATUSES }).notNull(),
    /** Customers began to be affected (may be back-dated). */
    startedAt: ms('started_at').notNull(),
    /** Provider restored service on its side (failover complete, fix deployed). */
    mitigatedAt: ms('mitigated_at'),
    /** The last affected customer was back to normal. */
    impactEndedAt: ms('impact_ended_at'),
    monitoringAt: ms('monitoring_at'),
    resolvedAt: ms('resolved_at'),
    /** Opened by an alert and not yet published by staff: shown nowhere in public, counted nowhere. */
    draft: integer('draft', { mode: 'boolean' }).notNull().default(false),
    /** When staff published a draft; its updates became public then. null = never a draft. */
    publishedAt: ms('published_at'),
    /** When monitoring first detected the problem (the alert's start). */
    detectedAt: ms('detected_at'),
    /** For a draft: the component levels its alerts proposed, JSON [{ componentId, level }]. */
    proposedComponents: text('proposed_components'),
    /** The status page this incident was imported from (its base URL). */
    importedFrom: text('imported_from'),
    /** How the public pages name mitigatedAt: "Fixed on our side", or "Failover complete" for a failover. */
    mitigationWording: text('mitigation_wording', { enum: ['fix', 'failover'] }).notNull().default('fix'),
    ...stamps,
  },
  (t) => [index('incidents_started_at').on(t.startedAt), index('incidents_status').on(t.status)],
);

export const incidentUpdates = sqliteTable(
  'incident_updates',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    publicId: publicId(),
    incidentId: integer('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: UPDATE_KINDS }).notNull().default('update'),
    status: text('status', { enum: INCIDENT_STATUSES }).notNull(),
    bodyMd: text('body_md').notNull(),
    bodyHtml: text('body_html').notNull(),
    /** When the update is about; earlier than created_at when recorded after the fact. */
    displayAt: ms('display_at').notNull(),
    authorId: integer('author_id').references(() => users.id, { onDelete: 'set null' }),
    editedAt: ms('edited_at'),
    /** staff: written in Candor; import: brought over from another status page; alert: a monitoring draft. */
    origin: text('origin', { enum: ['staff', 'import', 'alert'] }).notNull().default('staff'),
    ...stamps,
  },
  (t) => [index('incident_updates_incident_display').on(t.incidentId, t.displayAt)],
);

/** Component status changes announced in an update (the standard API's affected_components). */
export const incidentUpdateComponents = sqliteTable(
  'incident_update_components',
  {
    updateId: integer('update_id')
      .notNull()
      .references(() => incidentUpdates.id, { onDelete: 'cascade' }),
    componentId: integer('component_id')
      .notNull()
      .references(() => components.id, { onDelete: 'cascade' }),
    oldStatus: text('old_status').notNull(),
    newStatus: text('new_status').notNull(),
  },
  (t) => [primaryKey({ columns: [t.updateId, t.componentId] })],
);

export const updateRevisions = sqliteTable(
  'update_revisions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    updateId: integer('update_id')
      .notNull()
      .references(() => incidentUpdates.id, { onDelete: 'cascade' }),
    /** The text as it was before this edit. */
    bodyMd: text('body_md').notNull(),
    bodyHtml: text('body_html').notNull(),
    revisedAt: ms('revised_at').notNull(),
    editorId: integer('editor_id').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [index('update_revisions_update').on(t.updateId, t.revisedAt)],
);

export const maintenances = sqliteTable(
  'maintenances',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    publicId: publicId(),
    title: text('title').notNull(),
    status: text('status', { enum: MAINTENANCE_STATUSES }).notNull(),
    scheduledStart: ms('scheduled_start').notNull(),
    scheduledEnd: ms('scheduled_end').notNull(),
    actualStart: ms('actual_start'),
    actualEnd: ms('actual_end'),
    verifyingAt: ms('verifying_at'),
    /** When customers were first told of the window; decides whether it is excused. */
    announcedAt: ms('announced_at').notNull(),
    /** The status page this window was imported from (its base URL). */
    importedFrom: text('imported_from'),
    ...stamps,
  },
  (t) => [index('maintenances_scheduled_start').on(t.scheduledStart), index('maintenances_status').on(t.status)],
);

export const maintenanceComponents = sqliteTable(
  'maintenance_components',
  {
    maintenanceId: integer('maintenance_id')
      .notNull()
      .references(() => maintenances.id, { onDelete: 'cascade' }),
    componentId: integer('component_id')
      .notNull()
      .references(() => components.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.maintenanceId, t.componentId] })],
);

export const maintenanceUpdates = sqliteTable(
  'maintenance_updates',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    publicId: publicId(),
    maintenanceId: integer('maintenance_id')
      .notNull()
      .references(() => maintenances.id, { onDelete: 'cascade' }),
    status: text('status', { enum: MAINTENANCE_STATUSES }).notNull(),
    bodyMd: text('body_md').notNull(),
    bodyHtml: text('body_html').notNull(),
    displayAt: ms('display_at').notNull(),
    authorId: integer('author_id').references(() => users.id, { onDelete: 'set null' }),
    ...stamps,
  },
  (t) => [index('maintenance_updates_maintenance_display').on(t.maintenanceId, t.displayAt)],
);

/**
 * A component affected at a level over [startedAt, endedAt). endedAt null = still open.
 * Belongs to exactly one incident or one maintenance window.
 */
export const impactPeriods = sqliteTable(
  'impact_periods',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    componentId: integer('component_id')
      .notNull()
      .references(() => components.id, { onDelete: 'cascade' }),
    incidentId: integer('incident_id').references(() => incidents.id, { onDelete: 'cascade' }),
    maintenanceId: integer('maintenance_id').references(() => maintenances.id, { onDelete: 'cascade' }),
    level: text('level', { enum: IMPACT_LEVELS }).notNull(),
    startedAt: ms('started_at').notNull(),
    endedAt: ms('ended_at'),
    ...stamps,
  },
  (t) => [
    check('impact_periods_owner', sql`(${t.incidentId} IS NULL) <> (${t.maintenanceId} IS NULL)`),
    check('impact_periods_order', sql`${t.endedAt} IS NULL OR ${t.endedAt} >= ${t.startedAt}`),
    index('impact_periods_component_start').on(t.componentId, t.startedAt),
    index('impact_periods_component_end').on(t.componentId, t.endedAt),
    // Range queries over all components ("periods overlapping the last 90 days").
    index('impact_periods_end').on(t.endedAt),
    index('impact_periods_incident').on(t.incidentId),
    index('impact_periods_maintenance').on(t.maintenanceId),
  ],
);

/** A public note that an incident's impact window was corrected after publication. */
export const impactCorrections = sqliteTable(
  'impact_corrections',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    incidentId: integer('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    reason: text('reason').notNull(),
    /** JSON snapshots of the impact window and periods before and after. */
    before: text('before').notNull(),
    after: text('after').notNull(),
    correctedAt: ms('corrected_at').notNull(),
    authorId: integer('author_id').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [index('impact_corrections_incident').on(t.incidentId)],
);

export const postmortems = sqliteTable('postmortems', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  incidentId: integer('incident_id')
    .notNull()
    .unique()
    .references(() => incidents.id, { onDelete: 'cascade' }),
  status: text('status', { enum: ['draft', 'published'] }).notNull().default('draft'),
  bodyMd: text('body_md').notNull(),
  bodyHtml: text('body_html').notNull(),
  publishedAt: ms('published_at'),
  authorId: integer('author_id').references(() => users.id, { onDelete: 'set null' }),
  ...stamps,
});

export const users = sqliteTable('users', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  publicId: publicId(),
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  role: text('role', { enum: STAFF_ROLES }).notNull(),
  passwordHash: text('password_hash').notNull(),
  totpSecret: text('totp_secret'),
  totpEnabledAt: ms('totp_enabled_at'),
  /** The last TOTP time step accepted, so a code cannot be replayed within its validity. */
  totpLastStep: integer('totp_last_step'),
  disabledAt: ms('disabled_at'),
  ...stamps,
});

export const sessions = sqliteTable(
  'sessions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** SHA-256 of the session token; the token itself is never stored. */
    tokenHash: text('token_hash').notNull().unique(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: ms('created_at').notNull(),
    lastSeenAt: ms('last_seen_at').notNull(),
    expiresAt: ms('expires_at').notNull(),
    revokedAt: ms('revoked_at'),
  },
  (t) => [index('sessions_user').on(t.userId)],
);

export const apiTokens = sqliteTable('api_tokens', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  publicId: publicId(),
  name: text('name').notNull(),
  tokenHash: text('token_hash').notNull().unique(),
  /** JSON array, e.g. ["incidents:write"]. */
  scopes: text('scopes').notNull(),
  createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: ms('created_at').notNull(),
  lastUsedAt: ms('last_used_at'),
  revokedAt: ms('revoked_at'),
});

export const signInAttempts = sqliteTable(
  'sign_in_attempts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** 'account:<email>' or 'address:<ip>' — throttling keys. */
    key: text('key').notNull(),
    at: ms('at').notNull(),
    succeeded: integer('succeeded', { mode: 'boolean' }).notNull(),
  },
  (t) => [index('sign_in_attempts_key_at').on(t.key, t.at)],
);

/**
 * What each write changed, as the public pages it can affect: `incident:<publicId>`,
 * `maintenance:<publicId>`, `component:<slug>`, or `*` (names, groups, policies, settings: every
 * page). Written by triggers (migration 0009), so no command can forget a row; the response cache
 * reads the rows since the version it last saw and re-renders only the pages they touch
 * (src/server/http/change-feed.ts). runCommand keeps the newest rows only.
 */
export const pageChanges = sqliteTable('page_changes', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  scope: text('scope').notNull(),
});

export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: ms('at').notNull(),
    actorUserId: integer('actor_user_id').references(() => users.id, { onDelete: 'set null' }),
    actorTokenId: integer('actor_token_id').references(() => apiTokens.id, { onDelete: 'set null' }),
    /** 'system' for the seed and migrations. */
    actorLabel: text('actor_label').notNull(),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id').notNull(),
    before: text('before'),
    after: text('after'),
  },
  (t) => [index('audit_log_at').on(t.at), index('audit_log_entity').on(t.entityType, t.entityId)],
);

/** What an import brought over, so a second run finds and updates it instead of duplicating. */
export const importRecords = sqliteTable(
  'import_records',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** The source page's base URL. */
    source: text('source').notNull(),
    kind: text('kind', { enum: ['group', 'component', 'incident', 'incident_update', 'maintenance', 'maintenance_update'] }).notNull(),
    externalId: text('external_id').notNull(),
    /** The row id in the table of `kind`. */
    localId: integer('local_id').notNull(),
    importedAt: ms('imported_at').notNull(),
  },
  (t) => [uniqueIndex('import_records_source_kind_external').on(t.source, t.kind, t.externalId)],
);

/** A monitoring system allowed to post alerts to /api/alerts/<slug>, with its own token. */
export const alertSources = sqliteTable('alert_sources', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  publicId: publicId(),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  kind: text('kind', { enum: ['alertmanager', 'grafana', 'uptime_kuma', 'generic'] }).notNull(),
  /** SHA-256 of the source's token; the token itself is shown once. */
  tokenHash: text('token_hash').notNull().unique(),
  /** JSON [{ label, value, componentId, level }]: an alert whose label matches proposes that level. */
  rules: text('rules').notNull().default('[]'),
  disabledAt: ms('disabled_at'),
  ...stamps,
});

/** One alert as its source identifies it (fingerprint), tied to the incident it opened. */
export const alerts = sqliteTable(
  'alerts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    sourceId: integer('source_id')
      .notNull()
      .references(() => alertSources.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    incidentId: integer('incident_id').references(() => incidents.id, { onDelete: 'set null' }),
    status: text('status', { enum: ['firing', 'resolved'] }).notNull(),
    title: text('title').notNull(),
    /** JSON object of the alert's labels. */
    labels: text('labels').notNull(),
    startsAt: ms('starts_at').notNull(),
    endsAt: ms('ends_at'),
    lastReceivedAt: ms('last_received_at').notNull(),
    /** JSON [impact period id]: the levels this alert set by itself (components with alertLevels), ended when it clears. */
    autoPeriods: text('auto_periods').notNull().default('[]'),
    ...stamps,
  },
  (t) => [index('alerts_source_key').on(t.sourceId, t.key), index('alerts_incident').on(t.incidentId)],
);

/** Staff-only notes on an incident ("alert cleared at 14:52"): never shown in public. */
export const incidentNotes = sqliteTable(
  'incident_notes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    incidentId: integer('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    body: text('body').notNull(),
    at: ms('at').notNull(),
    createdAt: ms('created_at').notNull(),
  },
  (t) => [index('incident_notes_incident').on(t.incidentId, t.at)],
);

// ——— Notifications: subscribers, what was published, and the outbox that delivers it ———

export const SUBSCRIBER_CHANNELS = ['email', 'webhook', 'slack', 'teams', 'discord'] as const;
export type SubscriberChannel = (typeof SUBSCRIBER_CHANNELS)[number];

/**
 * Someone (or something) told about incidents and maintenance: an email address, a signed
 * webhook, or a chat product's incoming webhook. Removing a subscriber deletes the row (and its
 * pending deliveries): addresses are personal data.
 */
export const subscribers = sqliteTable(
  'subscribers',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    publicId: publicId(),
    channel: text('channel', { enum: SUBSCRIBER_CHANNELS }).notNull(),
    /** The address mail goes to; for webhooks the contact told about failures. Lower-cased. */
    email: text('email'),
    /** Webhook and chat destinations: where the POST goes. */
    url: text('url'),
    /** Standard Webhooks secret (`whsec_…`): needed in the clear to sign every delivery. */
    secret: text('secret'),
    /** Staff label for chat destinations ("#incidents on Slack"). */
    label: text('label'),
    /** True: every incident and maintenance; false: only those touching subscriber_components or subscriber_groups. */
    allComponents: integer('all_components', { mode: 'boolean' }).notNull().default(true),
    /** SHA-256 of the pending confirmation token; null once confirmed. */
    confirmTokenHash: text('confirm_token_hash').unique(),
    confirmExpiresAt: ms('confirm_expires_at'),
    confirmedAt: ms('confirmed_at'),
    /** Last confirmation mail queued, for the one-per-10-minutes limit. */
    confirmationSentAt: ms('confirmation_sent_at'),
    /**
     * The capability in every message's manage and one-click unsubscribe links. Kept in the clear
     * because each outgoing message must carry it; it grants only managing this one subscription.
     */
    manageToken: text('manage_token').notNull().unique(),
    /** Set when deliveries kept failing for 24 h (webhooks, chat); staff see why. */
    disabledAt: ms('disabled_at'),
    disabledReason: text('disabled_reason'),
    /** 'public' (the form), 'staff', 'api' or 'demo' (never sent to). */
    source: text('source').notNull(),
    ...stamps,
  },
  (t) => [
    index('subscribers_channel').on(t.channel, t.confirmedAt),
    uniqueIndex('subscribers_channel_email').on(t.channel, t.email).where(sql`${t.channel} = 'email'`),
  ],
);

export const subscriberComponents = sqliteTable(
  'subscriber_components',
  {
    subscriberId: integer('subscriber_id')
      .notNull()
      .references(() => subscribers.id, { onDelete: 'cascade' }),
    componentId: integer('component_id')
      .notNull()
      .references(() => components.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.subscriberId, t.componentId] }), index('subscriber_components_component').on(t.componentId)],
);

/**
 * A subscription to a whole group: every component in it when a notice goes out, so components
 * added to the group later are included.
 */
export const subscriberGroups = sqliteTable(
  'subscriber_groups',
  {
    subscriberId: integer('subscriber_id')
      .notNull()
      .references(() => subscribers.id, { onDelete: 'cascade' }),
    groupId: integer('group_id')
      .notNull()
      .references(() => componentGroups.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.subscriberId, t.groupId] }), index('subscriber_groups_group').on(t.groupId)],
);

/** One public event worth telling subscribers about, with the content snapshot every channel renders. */
export const notifications = sqliteTable(
  'notifications',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    publicId: publicId(),
    /** e.g. 'incident.opened', 'incident.updated', 'maintenance.reminder'. */
    event: text('event').notNull(),
    incidentId: integer('incident_id').references(() => incidents.id, { onDelete: 'set null' }),
    maintenanceId: integer('maintenance_id').references(() => maintenances.id, { onDelete: 'set null' }),
    subject: text('subject').notNull(),
    /** JSON: the NotificationContent (src/server/notify/content.ts) frozen when it was published. */
    content: text('content').notNull(),
    recipients: integer('recipients').notNull(),
    createdAt: ms('created_at').notNull(),
  },
  (t) => [index('notifications_created').on(t.createdAt), index('notifications_incident').on(t.incidentId)],
);

/**
 * The outbox: one row per message to send, written in the same transaction as what caused it.
 * `kind` picks the sender (email, webhook, slack, teams, discord, confirmation, …), so other side
 * effects that leave the process can use the same worker.
 */
export const deliveries = sqliteTable(
  'deliveries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** Idempotency key: the webhook-id and the Message-ID's local part; stable across retries. */
    key: text('key').notNull().unique(),
    kind: text('kind').notNull(),
    notificationId: integer('notification_id').references(() => notifications.id, { onDelete: 'cascade' }),
    subscriberId: integer('subscriber_id').references(() => subscribers.id, { onDelete: 'cascade' }),
    /** JSON for kinds that carry their own content (confirmation mails, purges); else null. */
    payload: text('payload'),
    status: text('status', { enum: ['pending', 'delivered', 'failed', 'cancelled'] }).notNull().default('pending'),
    /** First moment it may be sent (a reminder waits for its time); retries give up 24 h after it. */
    dueAt: ms('due_at').notNull(),
    nextAttemptAt: ms('next_attempt_at').notNull(),
    /** A worker holds the row until then; after a crash the lease runs out and it is sent again. */
    leaseUntil: ms('lease_until'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    deliveredAt: ms('delivered_at'),
    createdAt: ms('created_at').notNull(),
  },
  (t) => [
    index('deliveries_due').on(t.status, t.nextAttemptAt),
    index('deliveries_notification').on(t.notificationId, t.status),
    index('deliveries_subscriber').on(t.subscriberId, t.id),
  ],
);

/** Every try, kept for the workspace's delivery view. */
export const deliveryAttempts = sqliteTable(
  'delivery_attempts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    deliveryId: integer('delivery_id')
      .notNull()
      .references(() => deliveries.id, { onDelete: 'cascade' }),
    at: ms('at').notNull(),
    ok: integer('ok', { mode: 'boolean' }).notNull(),
    /** The receiver's answer ("250 2.0.0 queued", "HTTP 500") or the error. */
    result: text('result').notNull(),
    durationMs: integer('duration_ms').notNull(),
  },
  (t) => [index('delivery_attempts_delivery').on(t.deliveryId, t.at)],
);

/**
 * The level each component had in the last `component_update` webhook: the next change is
 * announced from it (old_status), so a change made quietly ("Notify subscribers" unticked) is
 * told with the next notice that touches the component, and nothing is announced twice.
 */
export const componentAnnouncements = sqliteTable('component_announcements', {
  componentId: integer('component_id')
    .primaryKey()
    .references(() => components.id, { onDelete: 'cascade' }),
  level: text('level').notNull(),
  at: ms('at').notNull(),
});
