import { describe, expect, it } from 'vitest';
import { ifNoneMatchHits, strongEtag } from '../../../src/server/http/etag.ts';

describe('strongEtag', () => {
  it('is a quoted strong tag that depends only on the bytes', () => {
    const tag = strongEtag('hello');
    expect(tag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(strongEtag(new TextEncoder().encode('hello'))).toBe(tag);
    expect(strongEtag('hello!')).not.toBe(tag);
  });
});

describe('ifNoneMatchHits', () => {
  const tag = '"abc"';
  it.each<[string | null, boolean]>([
    [null, false],
    ['"abc"', true],
    ['"xyz"', false],
    ['"xyz", "abc"', true],
    ['"xyz","abc"', true],
    ['W/"abc"', true],
    ['*', true],
    [' * ', true],
    ['abc', false],
    ['', false],
  ])('%j → %j', (header, expected) => {
    expect(ifNoneMatchHits(header, tag)).toBe(expected);
  });
});
