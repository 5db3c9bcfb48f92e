// JSON Feed 1.1 (https://jsonfeed.org/version/1.1) of the same events as the RSS and Atom
// history, built with the `feed` package like them. Each item's content_html is the RSS item's
// description, byte for byte.
import { stripXmlIllegal } from '../xml-text.ts';
import type { FeedEvent } from './feed-events.ts';
import { startFeed, type FeedChannel } from './feed-channel.ts';

export function buildJsonFeed(channel: FeedChannel & { author: string }, events: readonly FeedEvent[]): string {
  const feed = startFeed(channel, { id: channel.feedUrl, description: 'Statuspage', feedLinks: { json: channel.feedUrl } });
  for (const event of events) {
    feed.addItem({
      // Control characters out, as in the XML feeds: every feed shows the same title.
      title: stripXmlIllegal(event.title),
      id: event.url,
      link: event.url,
      date: new Date(event.updatedAt),
      published: new Date(event.publishedAt),
      content: event.html,
    });
  }
  // The package writes version 1 with its single `author`; 1.1 names the version and lists
  // `authors` (1.1 readers read both; 1.0 readers ignore `authors` and lose only the name).
  const { version: _version, ...written } = JSON.parse(feed.json1()) as Record<string, unknown>;
  return JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', ...written, authors: [{ name: stripXmlIllegal(channel.author) }] }, null, 2);
}
