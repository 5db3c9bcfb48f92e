// `/maintenance.ics`: upcoming and recent maintenance windows for calendar subscriptions.
// - UID = public id @ site host: stable across edits, so calendars update events in place.
// - SEQUENCE = whole seconds from creation to the last change (updatedAt). Every change goes
//   through a command that bumps updatedAt, so the number grows on each change, reschedules
//   included — which a count of posted updates would miss — and never goes down.
// - DTSTAMP = the last change too, so the bytes (and ETag) only change with the data.
// - Times are UTC; a cancelled window stays listed with STATUS:CANCELLED so subscribers' copies
//   are removed instead of silently kept.
import ical, { ICalEventStatus, ICalEventTransparency } from 'ical-generator';
import type { Db } from '../../db/client.ts';
import { MAINTENANCE_STATUS_LABELS } from '../domain/status.ts';
import { listMaintenanceIds, loadMaintenanceSummaries, type MaintenanceSummary } from './maintenance.ts';
import { loadSite, type Site } from './site.ts';
import { stripXmlIllegal } from './xml-text.ts';

export const CALENDAR_EVENT_LIMIT = 50;

export function sequenceOf(m: Pick<MaintenanceSummary, 'createdAt' | 'updatedAt'>): number {
  return Math.max(0, Math.floor((m.updatedAt - m.createdAt) / 1000));
}

function describe(m: MaintenanceSummary, url: string): string {
  const lines = [`Status: ${MAINTENANCE_STATUS_LABELS[m.status]}`];
  if (m.components.length > 0) lines.push(`Components: ${m.components.map((c) => c.name).join(', ')}`);
  const latest = m.updates[0];
  if (latest) lines.push('', latest.bodyMd.trim());
  lines.push('', `Details and updates: ${url}`);
  return stripXmlIllegal(lines.join('\n'));
}

/**
 * A one-line TEXT value escaped as RFC 5545 §3.3.11 asks. ical-generator escapes event fields but
 * writes the calendar's NAME and X-WR-CALNAME as given, so a line break in the site name would
 * start calendar lines of its own.
 */
export function calendarNameText(text: string): string {
  return stripXmlIllegal(text)
    .replace(/[\r\n\u0085\u2028\u2029]+/g, ' ')
    .replace(/[\\;,]/g, (c) => `\\${c}`);
}

export function buildMaintenanceCalendar(site: Site, maintenances: readonly MaintenanceSummary[]): string {
  const host = new URL(site.url).host;
  const calendar = ical({
    name: calendarNameText(`${site.name} Status - Scheduled Maintenance`),
    prodId: { company: 'Candor', product: 'Candor status page', language: 'EN' },
    url: `${site.url}/maintenance.ics`,
    ttl: 60 * 60,
  });
  for (const m of maintenances) {
    const url = `${site.url}/maintenance/${m.publicId}`;
    calendar.createEvent({
      id: `${m.publicId}@${host}`,
      sequence: sequenceOf(m),
      stamp: new Date(m.updatedAt),
      created: new Date(m.createdAt),
      lastModified: new Date(m.updatedAt),
      start: new Date(m.scheduledStart),
      end: new Date(m.scheduledEnd),
      summary: stripXmlIllegal(`${site.name} maintenance: ${m.title}`),
      description: describe(m, url),
      url,
      status: m.status === 'cancelled' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
      // A provider's maintenance does not make the subscriber busy.
      transparency: ICalEventTransparency.TRANSPARENT,
    });
  }
  return calendar.toString();
}

export function getMaintenanceCalendar(db: Db): string {
  const ids = listMaintenanceIds(db, undefined, 'newest', CALENDAR_EVENT_LIMIT);
  return buildMaintenanceCalendar(loadSite(db), loadMaintenanceSummaries(db, ids));
}
