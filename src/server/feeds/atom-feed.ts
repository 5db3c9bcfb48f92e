// Atom 1.0 of the same events, built with the `feed` package.
import { escapeMarkup, stripXmlIllegal } from '../xml-text.ts';
import type { FeedEvent } from './feed-events.ts';
import { startFeed, type FeedChannel } from './feed-channel.ts';

export function buildAtom(channel: FeedChannel & { author: string }, events: readonly FeedEvent[]): string {
  const feed = startFeed(channel, { id: channel.feedUrl, feedLinks: { atom: channel.feedUrl }, author: { name: stripXmlIllegal(channel.author) } });
  for (const event of events) {
    feed.addItem({
      // The package marks entry titles type="html": escape so a title is always shown as text.
      title: escapeMarkup(event.title),
      id: event.url,
      link: event.url,
      date: new Date(event.updatedAt),
      published: new Date(event.publishedAt),
      content: event.html,
    });
  }
  return stripXmlIllegal(feed.atom1());
}
