// Incident endpoints of the admin API: each one calls the same command as the workspace.
import { z } from 'zod';
import { correctImpactWindow, correctImpactWindowInput, type CorrectImpactWindowInput } from '../commands/correct-impact-window.ts';
import { editIncidentUpdate, editIncidentUpdateInput, type EditIncidentUpdateInput } from '../commands/edit-incident-update.ts';
import { openIncident, openIncidentInput, type OpenIncidentInput } from '../commands/open-incident.ts';
import { postIncidentUpdate, postIncidentUpdateInput, type PostIncidentUpdateInput } from '../commands/post-incident-update.ts';
import { parseInput } from '../commands/input.ts';
import { postmortemInput, publishPostmortem, savePostmortemDraft } from '../commands/postmortems.ts';
import { resolveIncident, resolveIncidentInput, type ResolveIncidentInput } from '../commands/resolve-incident.ts';
import { incidentDocument, requireIncidentUpdate } from './documents.ts';
import { apiRoute } from './endpoint.ts';

const READ = ['read', 'incidents:write'] as const;
const WRITE = ['incidents:write'] as const;
const id = (params: Record<string, string | undefined>, name = 'id') => params[name] ?? '';

export const getIncident = apiRoute({
  scopes: READ,
  run: ({ db, params, now }) => ({ body: { incident: incidentDocument(db, id(params), now) } }),
});

export const openIncidentRoute = apiRoute<OpenIncidentInput>({
  scopes: WRITE,
  body: { schema: openIncidentInput, instants: ['startedAt', 'displayAt'] },
  run: ({ db, caller, input, now }) => {
    const { publicId } = openIncident(db, caller.authority, input, now);
    return { status: 201, headers: { Location: `/api/admin/incidents/${publicId}` }, body: { incident: incidentDocument(db, publicId, now) } };
  },
});

export const postUpdateRoute = apiRoute<PostIncidentUpdateInput>({
  scopes: WRITE,
  body: { schema: postIncidentUpdateInput, instants: ['mitigatedAt', 'restoredAt', 'displayAt'] },
  run: ({ db, caller, params, input, now }) => {
    const { publicId } = postIncidentUpdate(db, caller.authority, id(params), input, now);
    return { status: 201, body: { update: { id: publicId }, incident: incidentDocument(db, id(params), now) } };
  },
});

export const editUpdateRoute = apiRoute<EditIncidentUpdateInput>({
  scopes: WRITE,
  body: { schema: editIncidentUpdateInput },
  run: ({ db, caller, params, input, now }) => {
    requireIncidentUpdate(db, id(params), id(params, 'updateId'));
    const { publicId } = editIncidentUpdate(db, caller.authority, id(params, 'updateId'), input, now);
    return { body: { update: { id: publicId }, incident: incidentDocument(db, id(params), now) } };
  },
});

export const correctImpactRoute = apiRoute<CorrectImpactWindowInput>({
  scopes: WRITE,
  body: {
    schema: correctImpactWindowInput,
    instants: ['startedAt', 'mitigatedAt', 'impactEndedAt', 'periods.*.startedAt', 'periods.*.endedAt'],
  },
  run: ({ db, caller, params, input, now }) => {
    correctImpactWindow(db, caller.authority, id(params), input, now);
    return { status: 201, body: { incident: incidentDocument(db, id(params), now) } };
  },
});

export const resolveRoute = apiRoute<ResolveIncidentInput>({
  scopes: WRITE,
  body: { schema: resolveIncidentInput },
  run: ({ db, caller, params, input, now }) => {
    const { publicId } = resolveIncident(db, caller.authority, id(params), input, now);
    return { body: { update: { id: publicId }, incident: incidentDocument(db, id(params), now) } };
  },
});

const postmortemRequest = postmortemInput.extend({
  status: z.enum(['draft', 'published'], { error: 'Say "draft" (kept private) or "published" (shown on the incident page and in the feeds).' }),
});

export const putPostmortemRoute = apiRoute<z.input<typeof postmortemRequest>>({
  scopes: WRITE,
  body: { schema: postmortemRequest },
  run: ({ db, caller, params, input, now }) => {
    // Both fields checked at once, so a client hears every mistake in one answer.
    const { status, body, notify } = parseInput(postmortemRequest, input);
    if (status === 'draft') savePostmortemDraft(db, caller.authority, id(params), { body }, now);
    else publishPostmortem(db, caller.authority, id(params), { body, notify }, now);
    return { body: { postmortem: { status }, incident: incidentDocument(db, id(params), now) } };
  },
});
