// Admin API for alert drafts: alert sources (create with their token, list), the drafts waiting
// for staff with their private notes, and the one-click publication.
import { asc, desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import * as s from '../../../db/schema.ts';
import { iso } from '../api/status-api-objects.ts';
import {
  alertSourceRulesInput,
  createAlertSource,
  createAlertSourceInput,
  rotateAlertSourceToken,
  setAlertSourceRules,
  type AlertRule,
  type AlertSourceRulesInput,
  type CreateAlertSourceInput,
} from '../commands/alert-sources.ts';
import { NotFound } from '../errors.ts';
import { componentAlertLevelsInput, setComponentAlertLevels, type ComponentAlertLevelsInput } from '../commands/component-alert-levels.ts';
import { publishDraftIncident, publishDraftIncidentInput, type PublishDraftIncidentInput } from '../commands/publish-draft-incident.ts';
import { parseProposals } from '../commands/receive-alerts.ts';
import { incidentDocument } from './documents.ts';
import { apiRoute } from './endpoint.ts';

function alertSourceDocument(row: typeof s.alertSources.$inferSelect) {
  return {
    id: row.publicId,
    slug: row.slug,
    name: row.name,
    kind: row.kind,
    url_path: `/api/alerts/${row.slug}`,
    rules: (JSON.parse(row.rules) as AlertRule[]).map((r) => ({ label: r.label, value: r.value, component_id: r.componentId, level: r.level })),
    created_at: iso(row.createdAt),
  };
}

export const listAlertSourcesRoute = apiRoute({
  scopes: ['read', 'config:write'],
  run: ({ db }) => ({ body: { alert_sources: db.select().from(s.alertSources).orderBy(asc(s.alertSources.id)).all().map(alertSourceDocument) } }),
});

export const createAlertSourceRoute = apiRoute<CreateAlertSourceInput>({
  scopes: ['config:write'],
  body: { schema: createAlertSourceInput },
  run: ({ db, caller, input, now }) => {
    const { publicId, token } = createAlertSource(db, caller.authority, input, now);
    const row = db.select().from(s.alertSources).where(eq(s.alertSources.publicId, publicId)).get()!;
    // The token is shown this once; only its hash is kept.
    return { status: 201, body: { alert_source: alertSourceDocument(row), token } };
  },
});

function findAlertSourceDocument(db: Db, publicId: string) {
  const row = db.select().from(s.alertSources).where(eq(s.alertSources.publicId, publicId)).get();
  if (!row) throw new NotFound('No such alert source.');
  return alertSourceDocument(row);
}

export const getAlertSourceRoute = apiRoute({
  scopes: ['read', 'config:write'],
  run: ({ db, params }) => ({ body: { alert_source: findAlertSourceDocument(db, params.id ?? '') } }),
});

/** Replaces the source's rules with the ones sent. */
export const patchAlertSourceRoute = apiRoute<AlertSourceRulesInput>({
  scopes: ['config:write'],
  body: { schema: alertSourceRulesInput },
  run: ({ db, caller, params, input, now }) => {
    setAlertSourceRules(db, caller.authority, params.id ?? '', input, now);
    return { body: { alert_source: findAlertSourceDocument(db, params.id ?? '') } };
  },
});

/** A new token; the old one stops working at once. Shown this once, like at creation. */
export const rotateAlertSourceTokenRoute = apiRoute({
  scopes: ['config:write'],
  body: { schema: alertSourceRulesInput.pick({}) },
  run: ({ db, caller, params, now }) => {
    const { token } = rotateAlertSourceToken(db, caller.authority, params.id ?? '', {}, now);
    return { body: { alert_source: findAlertSourceDocument(db, params.id ?? ''), token } };
  },
});

/** Turns automatic levels from alerts on or off for one component. */
export const putComponentAlertLevelsRoute = apiRoute<ComponentAlertLevelsInput>({
  scopes: ['config:write'],
  body: { schema: componentAlertLevelsInput },
  run: ({ db, caller, params, input, now }) => {
    setComponentAlertLevels(db, caller.authority, params.id ?? '', input, now);
    const row = db.select({ enabled: s.components.alertLevels }).from(s.components).where(eq(s.components.publicId, params.id ?? '')).get()!;
    return { body: { component_id: params.id, alert_levels: row.enabled } };
  },
});

/** Drafts newest first, each with its proposed levels and private notes. */
export function listDrafts(db: Db, now: number) {
  const drafts = db.select().from(s.incidents).where(eq(s.incidents.draft, true)).orderBy(desc(s.incidents.createdAt)).all();
  const notes = drafts.length
    ? db.select().from(s.incidentNotes).where(inArray(s.incidentNotes.incidentId, drafts.map((d) => d.id))).orderBy(asc(s.incidentNotes.at), asc(s.incidentNotes.id)).all()
    : [];
  return drafts.map((d) => ({
    incident: incidentDocument(db, d.publicId, now),
    proposed_components: parseProposals(d.proposedComponents).map((p) => ({ component_id: p.componentId, level: p.level, from: iso(p.from), to: p.to === null ? null : iso(p.to) })),
    notes: notes.filter((n) => n.incidentId === d.id).map((n) => ({ body: n.body, at: iso(n.at) })),
  }));
}

export const listDraftsRoute = apiRoute({
  scopes: ['read', 'incidents:write'],
  run: ({ db, now }) => ({ body: { drafts: listDrafts(db, now) } }),
});

export const publishDraftRoute = apiRoute<PublishDraftIncidentInput>({
  scopes: ['incidents:write'],
  body: { schema: publishDraftIncidentInput },
  run: ({ db, caller, params, input, now }) => {
    publishDraftIncident(db, caller.authority, params.id ?? '', input, now);
    return { body: { incident: incidentDocument(db, params.id ?? '', now) } };
  },
});
