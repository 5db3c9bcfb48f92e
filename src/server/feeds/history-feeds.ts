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
import { buildRss } from './rss-feed.ts';

/**
 * A feed's date (RSS lastBuildDate, Atom updated) follows what the feed shows: its events and the
 * site's own name and URL in the channel. A write elsewhere (a component renamed, a staff account)
 * leaves the feed's bytes, and so its ETag, as they were.
 */
function feedUpdatedAt(events: readonly FeedEvent[], ...others: number[]): number {
  return Math.max(0, ...others, ...events.map((e) => e.updatedAt));
}

export function getHistoryRss(db: Db, now: number): string {
  const site = loadSite(db);
  const events = loadFeedEvents(db, site, now);
  return buildRss(
    {
      title: `${site.name} Status - Incident History`,
      siteUrl: site.url,
      feedUrl: `${site.url}/history.rss`,
      updatedAt: feedUpdatedAt(events, loadSiteChangedAt(db)),
    },
    events,
  );
}

export function getHistoryAtom(db: Db, now: number): string {
  const site = loadSite(db);
  const events = loadFeedEvents(db, site, now);
  return buildAtom(
    {
      title: `${site.name} Status - Incident History`,
      siteUrl: site.url,
      feedUrl: `${site.url}/history.atom`,
      updatedAt: feedUpdatedAt(events, loadSiteChangedAt(db)),
      author: site.name,
    },
    events,
  );
}

export function getHistoryJsonFeed(db: Db, now: number): string {
  const site = loadSite(db);
  const events = loadFeedEvents(db, site, now);
  return buildJsonFeed(
    {
      title: `${site.name} Status - Incident History`,
      siteUrl: site.url,
      feedUrl: `${site.url}/history.json`,
      updatedAt: feedUpdatedAt(events, loadSiteChangedAt(db)),
      author: site.name,
    },
    events,
  );
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
