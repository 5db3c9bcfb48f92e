import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../../src/server/markdown.ts';

const levels = (html: string) => [...html.matchAll(/<h([1-6])>/g)].map((m) => Number(m[1]));

describe('renderMarkdown headings', () => {
  // The page's section heading is an h2, so user headings start at h3 and never skip a level.
  it.each([
    ['## Summary\n\n## Timeline', [3, 3]],
    ['# Title\n\n## Part\n\n### Detail', [3, 4, 5]],
    ['## Summary\n\n#### Detail', [3, 4]],
    ['### Only a small one', [3]],
    ['## A\n\n###### Deep\n\n## B\n\n### C', [3, 4, 3, 4]],
  ])('%j → %j', (source, expected) => {
    expect(levels(renderMarkdown(source))).toEqual(expected);
  });

  it('keeps the text and drops anything unsafe', () => {
    const html = renderMarkdown('## Summary <img src=x onerror=alert(1)>\n\n**not lost**');
    expect(html).toContain('<h3>Summary </h3>');
    expect(html).toContain('<strong>not lost</strong>');
    expect(html).not.toContain('onerror');
  });
});
