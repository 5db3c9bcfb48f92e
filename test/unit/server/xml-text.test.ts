import { describe, expect, it } from 'vitest';
import { escapeMarkup, stripXmlIllegal } from '../../../src/server/xml-text.ts';

describe('stripXmlIllegal', () => {
  it.each([
    ['a\u0000b\u0008c\u000Bd\u000Ce\u001Ff', 'abcdef'],
    ['del\u007F c1\u0085\u009F', 'del c1'],
    ['non\uFFFEchar\uFFFF', 'nonchar'],
    ['lone \uD800 high, lone \uDC00 low', 'lone  high, lone  low'],
  ])('drops what XML forbids: %j', (input, expected) => {
    expect(stripXmlIllegal(input)).toBe(expected);
  });

  it('keeps tab, newlines, emoji, right-to-left text and markup characters', () => {
    const text = 'tab\there\nline\r\n🚨 مرحبا ‏RLM <b>&</b> ]]>';
    expect(stripXmlIllegal(text)).toBe(text);
  });
});

describe('escapeMarkup', () => {
  it('escapes the five markup characters and strips illegal ones', () => {
    expect(escapeMarkup(`<script>alert("x")</script> & ]]> 'q'\u0001`)).toBe(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; ]]&gt; &#39;q&#39;',
    );
  });

  it('does not double-escape what it is given once', () => {
    expect(escapeMarkup('&amp;')).toBe('&amp;amp;');
  });
});
