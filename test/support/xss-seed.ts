// Types every XSS payload into the workspace's own forms — incident titles, messages, a
// correction, maintenance titles and announcements — so tests can look for them wherever shown.
import { containsRawPayload, XSS_CORPUS } from './xss-corpus.ts';
import { componentId, fieldValue, type AdminClient } from './admin-client.ts';

export interface SeededPayloads {
  incidents: string[];
  maintenances: string[];
  /** Admin pages that show the stored text, incident and maintenance pages included. */
  adminPaths: string[];
  publicPaths: string[];
}

function idFrom(location: string | null): string {
  const id = /\/admin\/(?:incidents|maintenance)\/([a-z0-9]{12})/.exec(location ?? '')?.[1];
  if (!id) throw new Error(`no id in redirect ${location}`);
  return id;
}

export async function seedPayloadsThroughForms(client: AdminClient, databasePath: string): Promise<SeededPayloads> {
  const statistics = componentId(databasePath, 'statistics');
  const seeded: SeededPayloads = { incidents: [], maintenances: [], adminPaths: ['/admin', '/admin/incidents', '/admin/maintenance'], publicPaths: ['/'] };
  for (const payload of XSS_CORPUS) {
    const message = `${payload}\n\n[details](javascript:alert(1)) <a href="javascript:alert(1)">x</a> ${payload}`;
    const opened = await client.post('/admin/incidents/new', { title: payload, impact: 'minor', [`level.${statistics}`]: 'degraded_performance', message });
    if (opened.status !== 303) throw new Error(`opening an incident titled ${payload} answered ${opened.status}`);
    const incident = idFrom(opened.headers.get('location'));
    const corrected = await client.post(`/admin/incidents/${incident}`, { status: 'identified', kind: 'correction', message: payload });
    if (corrected.status !== 303) throw new Error(`posting ${payload} answered ${corrected.status}`);
    seeded.incidents.push(incident);
    const screen = await (await client.get(`/admin/incidents/${incident}`)).text();
    const editPath = new RegExp(`/admin/incidents/${incident}/updates/[a-z0-9]{12}`).exec(screen)![0];
    seeded.adminPaths.push(`/admin/incidents/${incident}`, `/admin/incidents/${incident}/impact`, `/admin/incidents/${incident}/resolve`, `/admin/incidents/${incident}/postmortem`, editPath);
    seeded.publicPaths.push(`/incidents/${incident}`);

    const start = Date.now() + 3 * 86_400_000;
    const window = {
      title: payload,
      scheduledStart: new Date(start).toISOString().slice(0, 16),
      scheduledEnd: new Date(start + 3_600_000).toISOString().slice(0, 16),
      [`component.${statistics}`]: 'on',
      message,
    };
    const warned = await client.post('/admin/maintenance/new', { ...window, intent: 'schedule' });
    const scheduled = warned.status === 303 ? warned : await client.post('/admin/maintenance/new', { ...window, intent: 'confirm', acknowledged: fieldValue(await warned.text(), 'acknowledged') ?? '' });
    if (scheduled.status !== 303) throw new Error(`scheduling ${payload} answered ${scheduled.status}`);
    const maintenance = idFrom(scheduled.headers.get('location'));
    seeded.maintenances.push(maintenance);
    seeded.adminPaths.push(`/admin/maintenance/${maintenance}`);
    seeded.publicPaths.push(`/maintenance/${maintenance}`);
  }
  return seeded;
}

/**
 * containsRawPayload, minus one false alarm: inside a double-quoted attribute value (e.g. a meta
 * description) `<script>` is inert text; only an unescaped `"` could break out, and then the rest
 * of the payload lands outside the value and is still caught. `javascript:` URLs are looked for
 * in attribute values too.
 */
export function showsLiveMarkup(html: string): boolean {
  const withoutValues = html.replace(/="[^"]*"/g, '=""');
  return containsRawPayload(withoutValues) || /\bhref\s*=\s*["']?\s*javascript:/i.test(html);
}
