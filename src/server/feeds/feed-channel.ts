// What the three history feeds share: their channel, and the `feed` package's Feed started from it.
import { Feed, type FeedOptions } from 'feed';
import { stripXmlIllegal } from '../xml-text.ts';

export interface FeedChannel {
  title: string;
  siteUrl: string;
  feedUrl: string;
  /** Last change of the data shown; the feed's date, so its bytes (and ETag) only change with the data. */
  updatedAt: number;
}

/** A Feed named, linked and dated from the channel; `options` adds what one format needs. */
export function startFeed(channel: FeedChannel, options: Partial<FeedOptions>): Feed {
  return new Feed({
    title: stripXmlIllegal(channel.title),
    link: channel.siteUrl,
    // The data's own date (not the clock) keeps the feed's bytes stable between changes.
    updated: new Date(channel.updatedAt),
    generator: 'Candor',
    ...options,
  } as FeedOptions);
}
