// RSS 2.0 in the de-facto status-page shape (docs/api.md, "Feeds"), built with the `rss` package.
import RSS from 'rss';
import { stripXmlIllegal } from '../xml-text.ts';
import type { FeedEvent } from './feed-events.ts';

export interface FeedChannel {
  title: string;
  siteUrl: string;
  feedUrl: string;
  /** Last change of the data shown; the feed's date, so its bytes (and ETag) only change with the data. */
  updatedAt: number;
}

export function buildRss(channel: FeedChannel, events: readonly FeedEvent[]): string {
  const rss = new RSS({
    title: stripXmlIllegal(channel.title),
    // Literal: consumers sniff it to recognise a status-page feed.
    description: 'Statuspage',
    site_url: channel.siteUrl,
    feed_url: channel.feedUrl,
    generator: 'Candor',
  });
  for (const event of events) {
    rss.item({
      title: stripXmlIllegal(event.title),
      description: event.html,
      // Without a separate guid the package writes guid = url, isPermaLink="true".
      url: event.url,
      date: new Date(event.publishedAt),
      custom_elements:
        event.maintenanceEnd === null ? [] : [{ maintenanceEndDate: new Date(event.maintenanceEnd).toUTCString() }],
    });
  }
  // The package stamps lastBuildDate with the wall clock; the data's own date keeps the feed stable.
  const xml = rss.xml().replace(/<lastBuildDate>[^<]*<\/lastBuildDate>/, `<lastBuildDate>${new Date(channel.updatedAt).toUTCString()}</lastBuildDate>`);
  return stripXmlIllegal(xml);
}
