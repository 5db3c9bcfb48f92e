// Everything the feed routes serve: the site-wide RSS, Atom and JSON Feed history and per-component RSS.
import { stripInvisibleFormatting } from '../../domain/display-text.ts';
import type { Db } from '../../../db/client.ts';
import { NotFound } from '../errors.ts';
import { loadSite } from '../site.ts';
import { buildAtom } from './atom-feed.ts';
import { loadFeedEvents, type FeedEvent } from './feed-events.ts';
import { loadSiteChangedAt } from '../site.ts';
import { findComponentBySlug } from '../find-component.ts';
import { buildJsonFeed } from './json-feed.ts';
import type { FeedChannel } from './feed-channel.ts';
import { buildRss } from './rss-feed.ts';

/**
 * A feed's date (RSS lastBuildDate, Atom updated) follows what the feed shows: its events and the
 * site's own name and URL in the channel. A write elsewhere (a component renamed, a staff account)
 * leaves the feed's bytes, and so its ETag, as they were.
 */
function feedUpdatedAt(events: readonly FeedEvent[], ...others: number[]): number {
  return Math.max(0, ...others, ...events.map((e) => e.updatedAt));
}

/** The site-wide history: every event, channel named after the site, for the feed at `path`. */
function loadHistory(db: Db, now: number, path: string): { channel: FeedChannel & { author: string }; events: FeedEvent[] } {
  const site = loadSite(db);
  const events = loadFeedEvents(db, site, now);
  return {
    channel: {
      title: `${site.name} Status - Incident History`,
      siteUrl: site.url,
      feedUrl: `${site.url}${path}`,
      updatedAt: feedUpdatedAt(events, loadSiteChangedAt(db)),
      author: site.name,
    },
    events,
  };
}

export function getHistoryRss(db: Db, now: number): string {
  const { channel, events } = loadHistory(db, now, '/history.rss');
  return buildRss(channel, events);
}

export function getHistoryAtom(db: Db, now: number): string {
  const { channel, events } = loadHistory(db, now, '/history.atom');
  return buildAtom(channel, events);
}

export function getHistoryJsonFeed(db: Db, now: number): string {
  const { channel, events } = loadHistory(db, now, '/history.json');
  return buildJsonFeed(channel, events);
}

export function getComponentRss(db: Db, slug: string, now: number): string {
  const component = findComponentBySlug(db, slug);
  if (!component) throw new NotFound(`No component ${slug}`);
  const site = loadSite(db);
  const events = loadFeedEvents(db, site, now, component.id);
  return buildRss(
    {
      title: `${site.name} Status - ${stripInvisibleFormatting(component.name)} Incident History`,
      siteUrl: `${site.url}/components/${encodeURIComponent(component.slug)}`,
      feedUrl: `${site.url}/components/${encodeURIComponent(component.slug)}.rss`,
      updatedAt: feedUpdatedAt(events, loadSiteChangedAt(db), component.updatedAt),
    },
    events,
  );
}
