// The HTML inside a history feed item, in the exact shape status-page consumers parse
// (docs/api.md, "Feeds"): one paragraph per update, newest first, each labelled with the status it
// moved to — or "Update" when the status did not change — so `<strong>Resolved</strong>` marks
// the resolution. Bodies are rendered from their markdown and sanitised, as on the pages, so
// readers get formatting instead of `**` and `##`; the whole item is then escaped into the feed.
import { UPDATE_KIND_LABELS } from '../../domain/status.ts';
import { formatInstant } from '../../domain/time-zone.ts';
import { renderMarkdown } from '../markdown.ts';
import { escapeMarkup, stripXmlIllegal } from '../xml-text.ts';

export interface FeedUpdate {
  status: string;
  kind: 'update' | 'apology' | 'correction';
  bodyMd: string;
  displayAt: number;
}


/** "Oct <var data-var='date'>4</var>, <var data-var='time'>14:05</var> CEST" — the format consumers scrape. */
export function formatFeedMoment(at: number, tz: string, withZone = true): string {
  const [day, month] = formatInstant(at, tz, 'date').split(' ');
  const time = formatInstant(at, tz, 'time');
  const moment = `${month} <var data-var='date'>${day}</var>, <var data-var='time'>${time}</var>`;
  return withZone ? `${moment} ${zoneOf(at, tz)}` : moment;
}

function zoneOf(at: number, tz: string): string {
  return formatInstant(at, tz, 'datetime').split(' ').pop() ?? tz;
}

/** "Oct 4, 01:00 - 03:00 CEST" on one day; both ends in full when the day or the zone differs. */
export function formatFeedRange(start: number, end: number, tz: string): string {
  const sameDay = formatInstant(start, tz, 'date') === formatInstant(end, tz, 'date');
  if (sameDay && zoneOf(start, tz) === zoneOf(end, tz)) {
    const endTime = `<var data-var='time'>${formatInstant(end, tz, 'time')}</var>`;
    return `${formatFeedMoment(start, tz, false)} - ${endTime} ${zoneOf(end, tz)}`;
  }
  return `${formatFeedMoment(start, tz)} - ${formatFeedMoment(end, tz)}`;
}

/**
 * Label of each update (given newest first, returned in the same order): the status label when
 * the status changed from the previous update, else the kind of note ("Apology",
 * "Correction"), else "Update". The oldest update always changes the status.
 */
export function labelUpdates(updates: readonly FeedUpdate[], statusLabels: Record<string, string>): string[] {
  return updates.map((u, i) => {
    const previous = updates[i + 1];
    if (!previous || previous.status !== u.status) return statusLabels[u.status] ?? u.status;
    return UPDATE_KIND_LABELS[u.kind] ?? 'Update';
  });
}

/**
 * A body as sanitised HTML, split so the standard paragraph stays valid: `inline` is the first
 * paragraph's content (it follows "<strong>Label</strong> - "), `blocks` whatever comes after it
 * (more paragraphs, lists, headings), placed after the paragraph.
 */
export function renderBody(markdown: string): { inline: string; blocks: string } {
  const known = renderedBodies.get(markdown);
  if (known) return known;
  const html = renderMarkdown(stripXmlIllegal(markdown).trim()).trim();
  const first = /^<p>([\s\S]*?)<\/p>/.exec(html);
  const body = first ? { inline: first[1]!.trim(), blocks: html.slice(first[0].length).trim() } : { inline: '', blocks: html };
  keptChars += charsOf(markdown, body);
  renderedBodies.set(markdown, body);
  for (const [oldest, old] of renderedBodies) {
    if (keptChars <= RENDERED_BODIES_CHARS) break;
    renderedBodies.delete(oldest);
    keptChars -= charsOf(oldest, old);
  }
  return body;
}

/**
 * Markdown and sanitising were most of a feed's render, and every write renders the history feeds
 * again with nearly the same updates: the bodies are kept by their source (the same source always
 * renders the same), a few feeds' worth (about 1 MB of text), the oldest dropped first.
 */
const RENDERED_BODIES_CHARS = 1_000_000;
const renderedBodies = new Map<string, { inline: string; blocks: string }>();
let keptChars = 0;
const charsOf = (markdown: string, body: { inline: string; blocks: string }) => markdown.length + body.inline.length + body.blocks.length;

function paragraph(at: number, tz: string, label: string, prefix: string, markdown: string): string {
  const { inline, blocks } = renderBody(markdown);
  return `<p><small>${formatFeedMoment(at, tz)}</small><br><strong>${escapeMarkup(label)}</strong> - ${escapeMarkup(prefix)}${inline}</p>${blocks}`;
}

export function renderUpdateParagraphs(updates: readonly FeedUpdate[], statusLabels: Record<string, string>, tz: string): string {
  const labels = labelUpdates(updates, statusLabels);
  return updates
    .map((u, i) => {
      const label = labels[i]!;
      // A status change wins the label (consumers key on it); the note's kind still shows.
      const kind = UPDATE_KIND_LABELS[u.kind];
      const prefix = kind && kind !== label ? `${kind}: ` : '';
      return paragraph(u.displayAt, tz, label, prefix, u.bodyMd);
    })
    .join('');
}

export function renderPostmortemParagraph(postmortem: { bodyMd: string; publishedAt: number }, tz: string): string {
  return paragraph(postmortem.publishedAt, tz, 'Postmortem', '', postmortem.bodyMd);
}

export function renderScheduledLine(start: number, end: number, tz: string): string {
  return `<p><strong>THIS IS A SCHEDULED EVENT ${formatFeedRange(start, end, tz)}</strong></p>`;
}
