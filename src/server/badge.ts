// A small shields-style SVG status badge: "<label> | <status>". The status is always written
// out (colour only repeats it), names are escaped, and the image has a text alternative.
import type { Db } from '../../db/client.ts';
import { stripInvisibleFormatting } from '../domain/display-text.ts';
import { COMPONENT_STATUS_LABELS, deriveOverallStatus, type ComponentStatus, type Indicator } from '../domain/status.ts';
import { loadComponentHealth } from './component-health.ts';
import { NotFound } from './errors.ts';
import { findComponentBySlug } from './find-component.ts';
import { loadSite } from './site.ts';
import { escapeMarkup, stripXmlIllegal } from './xml-text.ts';

export type BadgeTone = 'good' | 'notice' | 'warning' | 'bad' | 'maintenance' | 'unknown';

// Dark enough for white text (contrast ≥ 4.5:1) in every tone.
const TONE_COLOURS: Record<BadgeTone, string> = {
  good: '#2e7d32',
  notice: '#8a5a00',
  warning: '#b3400c',
  bad: '#b91c1c',
  maintenance: '#1d4ed8',
  unknown: '#555555',
};

export const INDICATOR_TONES: Record<Indicator, BadgeTone> = {
  none: 'good',
  minor: 'notice',
  major: 'warning',
  critical: 'bad',
  maintenance: 'maintenance',
};

export const STATUS_TONES: Record<ComponentStatus, BadgeTone> = {
  operational: 'good',
  degraded_performance: 'notice',
  partial_outage: 'warning',
  major_outage: 'bad',
  under_maintenance: 'maintenance',
};

const MAX_LABEL = 40;

/** Approximate width of text in 11 px Verdana, enough to size the two boxes. */
export function textWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    if (/[il.,:;'|!ɪ]/.test(ch)) width += 3.5;
    else if (/[ frtjI()\[\]-]/.test(ch)) width += 4.5;
    else if (/[mwMW]/.test(ch)) width += 10;
    else if (/[A-Z]/.test(ch)) width += 7.5;
    else if (ch.charCodeAt(0) > 0x2000) width += 11;
    else width += 6.5;
  }
  return Math.ceil(width);
}

function clip(text: string): string {
  const chars = [...stripInvisibleFormatting(stripXmlIllegal(text)).trim()];
  return chars.length > MAX_LABEL ? `${chars.slice(0, MAX_LABEL - 1).join('')}…` : chars.join('');
}

export function renderBadge(label: string, message: string, tone: BadgeTone): string {
  const left = clip(label);
  const right = clip(message);
  const lw = textWidth(left) + 12;
  const rw = textWidth(right) + 12;
  const width = lw + rw;
  const alt = escapeMarkup(`${left}: ${right}`);
  const text = (x: number, value: string) =>
    `<text x="${x}" y="15" fill="#010101" fill-opacity=".3">${escapeMarkup(value)}</text><text x="${x}" y="14">${escapeMarkup(value)}</text>`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="20" role="img" aria-label="${alt}">` +
    `<title>${alt}</title>` +
    `<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>` +
    `<clipPath id="r"><rect width="${width}" height="20" rx="3" fill="#fff"/></clipPath>` +
    `<g clip-path="url(#r)"><rect width="${lw}" height="20" fill="#555"/><rect x="${lw}" width="${rw}" height="20" fill="${TONE_COLOURS[tone]}"/><rect width="${width}" height="20" fill="url(#s)"/></g>` +
    `<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">` +
    text(lw / 2, left) +
    text(lw + rw / 2, right) +
    `</g></svg>`
  );
}

export function getOverallBadge(db: Db, now: number): string {
  const site = loadSite(db);
  const components = loadComponentHealth(db, site, now, { days: 1 });
  const overall = deriveOverallStatus(components.map((c) => c.status));
  return renderBadge(site.name, overall.description, INDICATOR_TONES[overall.indicator]);
}

export function getComponentBadge(db: Db, slug: string, now: number): string {
  const component = findComponentBySlug(db, slug);
  if (!component) throw new NotFound(`No component ${slug}`);
  const site = loadSite(db);
  const [health] = loadComponentHealth(db, site, now, { days: 1, componentIds: [component.id] });
  const status = health?.status ?? 'operational';
  return renderBadge(component.name, COMPONENT_STATUS_LABELS[status], STATUS_TONES[status]);
}

export function renderUnknownBadge(): string {
  return renderBadge('status', 'unknown component', 'unknown');
}
