// RSS 2.0 in the de-facto status-page shape (docs/api.md, "Feeds"), built with the `feed` package
// like the Atom and JSON feeds (atom-feed.ts, json-feed.ts).
import { escapeMarkup, stripXmlIllegal } from '../xml-text.ts';
import { startFeed, type FeedChannel } from './feed-channel.ts';
import type { FeedEvent } from './feed-events.ts';

export function buildRss(channel: FeedChannel, events: readonly FeedEvent[]): string {
  // Literal description: consumers sniff it to recognise a status-page feed.
  const feed = startFeed(channel, { description: 'Statuspage', feedLinks: { rss: channel.feedUrl } });
  for (const event of events) {
    feed.addItem({
      title: stripXmlIllegal(event.title),
      description: event.html,
      // No id: the package writes guid = link, isPermaLink="true".
      link: event.url,
      date: new Date(event.publishedAt),
      extensions:
        event.maintenanceEnd === null ? [] : [{ name: 'maintenanceEndDate', objects: { _text: new Date(event.maintenanceEnd).toUTCString() } }],
    });
  }
  // Two details of the de-facto shape that the package writes differently: consumers compare the
  // channel link with the site's address as configured (the package gives a bare origin a '/'),
  // and sniff the description as `<![CDATA[Statuspage]]>`, as the `rss` package used to write it.
  const xml = feed
    .rss2()
    .replace(/<link>[^<]*<\/link>/, `<link>${escapeMarkup(channel.siteUrl)}</link>`)
    .replace('<description>Statuspage</description>', '<description><![CDATA[Statuspage]]></description>');
  return stripXmlIllegal(xml);
}
