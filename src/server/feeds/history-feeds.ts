// Everything the feed routes serve: the site-wide RSS and Atom history and per-component RSS.
import type { Db } from '../../../db/client.ts';
import { NotFound } from '../errors.ts';
import { loadLastChangeAt } from '../last-change.ts';
import { loadSite } from '../site.ts';
import { buildAtom } from './atom-feed.ts';
import { loadFeedEvents } from './feed-events.ts';
import { findComponentBySlug } from '../find-component.ts';
import { buildRss } from './rss-feed.ts';

export function getHistoryRss(db: Db, now: number): string {
  const site = loadSite(db);
  return buildRss(
    { title: `${site.name} Status - Incident History`, siteUrl: site.url, feedUrl: `${site.url}/history.rss`, updatedAt: loadLastChangeAt(db) },
    loadFeedEvents(db, site, now),
  );
}

export function getHistoryAtom(db: Db, now: number): string {
  const site = loadSite(db);
  return buildAtom(
    {
      title: `${site.name} Status - Incident History`,
      siteUrl: site.url,
      feedUrl: `${site.url}/history.atom`,
      updatedAt: loadLastChangeAt(db),
      author: site.name,
    },
    loadFeedEvents(db, site, now),
  );
}

export function getComponentRss(db: Db, slug: string, now: number): string {
  const component = findComponentBySlug(db, slug);
  if (!component) throw new NotFound(`No component ${slug}`);
  const site = loadSite(db);
  return buildRss(
    {
      title: `${site.name} Status - ${component.name} Incident History`,
      siteUrl: `${site.url}/components/${encodeURIComponent(component.slug)}`,
      feedUrl: `${site.url}/components/${encodeURIComponent(component.slug)}.rss`,
      updatedAt: loadLastChangeAt(db),
    },
    loadFeedEvents(db, site, now, component.id),
  );
}
