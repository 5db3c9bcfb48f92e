// What a notification says, frozen when it is published: every channel (email, webhook, chat)
// renders from this one snapshot, so a retry a day later sends what was true at the time.
import type { ComponentStatus } from '../../domain/status.ts';

export const NOTIFICATION_EVENTS = {
  'incident.opened': 'Incident opened',
  'incident.updated': 'Update',
  'incident.apology': 'Apology',
  'incident.correction': 'Correction',
  'incident.failover_complete': 'Failover complete',
  'incident.customers_restored': 'Customers restored',
  'incident.resolved': 'Resolved',
  'incident.postmortem_published': 'Post-mortem published',
  'incident.update_edited': 'Update corrected',
  'incident.impact_corrected': 'Impact window corrected',
  'maintenance.scheduled': 'Maintenance scheduled',
  'maintenance.reminder': 'Maintenance starts soon',
  'maintenance.started': 'Maintenance started',
  'maintenance.verifying': 'Maintenance verifying',
  'maintenance.completed': 'Maintenance completed',
  'maintenance.cancelled': 'Maintenance cancelled',
  'maintenance.rescheduled': 'Maintenance rescheduled',
  'maintenance.updated': 'Maintenance update',
  'component.updated': 'Component status changed',
} as const;

export type NotificationEvent = keyof typeof NOTIFICATION_EVENTS;

export interface NotifiedComponent {
  id: string;
  name: string;
  status: ComponentStatus;
  label: string;
}

export interface NotificationContent {
  event: NotificationEvent;
  site: { id: string; name: string; url: string };
  /** 'component': a `component_update` webhook (webhook subscribers only). */
  subject: 'incident' | 'maintenance' | 'component';
  /** The incident's, window's or component's public id: one mail thread per incident. */
  threadId: string;
  title: string;
  /** "Investigating", "Apology", "Resolved", "Starts in 60 minutes" … */
  headline: string;
  /** The update's text: markdown source (the plain-text part) and its sanitised HTML. */
  bodyMd: string;
  bodyHtml: string;
  /** The public page of the incident or window. */
  url: string;
  components: NotifiedComponent[];
  /** Plain-word lines: both durations for incidents, the window for maintenance. */
  facts: string[];
  at: number;
  /** The Statuspage-shaped webhook body without `meta` (which is per recipient). */
  webhook: Record<string, unknown>;
}

/** The subject line: "[Acme Status] Investigating: Mail delayed". */
export function subjectOf(content: Pick<NotificationContent, 'site' | 'headline' | 'title'>): string {
  return `[${content.site.name}] ${content.headline}: ${content.title}`;
}
