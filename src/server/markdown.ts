// Markdown → sanitised HTML, done once at save time and stored beside the source.
import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

/** marked is slow on huge hostile input; no status update needs more. */
export const MARKDOWN_MAX_LENGTH = 20_000;
/**
 * marked parses nested quotes and lists recursively: a few thousand levels overflow the stack.
 * Real updates nest two or three levels.
 */
export const MARKDOWN_MAX_NESTING = 16;
/**
 * Emphasis delimiters (`*`, `_`) cost marked roughly quadratic time: 13,000 of them block the
 * server for about a second, 500 for a few milliseconds. A long update uses a few dozen.
 */
export const MARKDOWN_MAX_EMPHASIS_MARKS = 500;

const BLOCK_MARKER = /^ {0,3}(?:>|[-*+](?=\s|$)|\d{1,9}[.)](?=\s|$))\s*/;

/** The deepest quote/list nesting of any line: markers at its start, plus indentation steps. */
export function markdownNestingDepth(source: string): number {
  let deepest = 0;
  for (const line of source.split('\n')) {
    let rest = line.replace(/\t/g, '    ');
    const indent = /^ */.exec(rest)![0].length;
    let depth = Math.floor(indent / 2);
    rest = rest.slice(indent);
    for (let marker = BLOCK_MARKER.exec(rest); marker !== null && marker[0].length > 0; marker = BLOCK_MARKER.exec(rest)) {
      depth++;
      rest = rest.slice(marker[0].length);
      if (depth > MARKDOWN_MAX_NESTING) return depth;
    }
    deepest = Math.max(deepest, depth);
  }
  return deepest;
}

/** Why this source is refused before rendering (too long, too deep, too much emphasis), or null. */
export function markdownProblem(source: string): string | null {
  if (source.length > MARKDOWN_MAX_LENGTH) {
    return `This text is ${source.length.toLocaleString('en-US')} characters long; the limit is ${MARKDOWN_MAX_LENGTH.toLocaleString('en-US')}. Shorten it or link to a longer document.`;
  }
  if (markdownNestingDepth(source) > MARKDOWN_MAX_NESTING) {
    return `Quotes and lists are nested more than ${MARKDOWN_MAX_NESTING} levels deep. Flatten them; nothing was saved.`;
  }
  const marks = source.match(/[*_]/g)?.length ?? 0;
  if (marks > MARKDOWN_MAX_EMPHASIS_MARKS) {
    return `This text has ${marks.toLocaleString('en-US')} * and _ characters; the limit is ${MARKDOWN_MAX_EMPHASIS_MARKS}. Use less emphasis; nothing was saved.`;
  }
  return null;
}

const marked = new Marked({ gfm: true, breaks: true, async: false });

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [
    'p', 'br', 'strong', 'em', 'del', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li',
    'a', 'h3', 'h4', 'h5', 'h6', 'hr', 'table', 'thead', 'tbody', 'tr', 'th', 'td',
  ],
  allowedAttributes: { a: ['href', 'title', 'rel'], ol: ['start'], th: ['align'], td: ['align'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowProtocolRelative: false,
};

const HEADINGS = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'];
/** User text sits inside a page section with an h2, so its top headings become h3. */
const TOP_LEVEL = 3;

/**
 * Headings of user text sit below the page's own h1/h2 and never skip a level (WCAG heading
 * order): the highest level used becomes h3, and each heading is at most one below the one
 * before it ("## Summary" then "#### Detail" → h3, h4).
 */
function headingTransforms(html: string): sanitizeHtml.IOptions['transformTags'] {
  const used = [...html.matchAll(/<h([1-6])[\s>]/g)].map((m) => Number(m[1]));
  const highest = used.length ? Math.min(...used) : 1;
  let previous = TOP_LEVEL - 1;
  const heading = (tagName: string, attribs: sanitizeHtml.Attributes) => {
    const level = Math.min(Number(tagName.slice(1)) - highest + TOP_LEVEL, previous + 1, 6);
    previous = level;
    return { tagName: `h${level}`, attribs };
  };
  return {
    ...Object.fromEntries(HEADINGS.map((h) => [h, heading])),
    a: sanitizeHtml.simpleTransform('a', { rel: 'nofollow noopener' }),
  };
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Commands refuse what markdownProblem names; anything that still arrives here (a preview) is shown
 * as plain paragraphs rather than handed to marked, so it can neither crash nor stall the server.
 */
export function renderMarkdown(source: string): string {
  if (markdownProblem(source) !== null) {
    const clipped = source.slice(0, MARKDOWN_MAX_LENGTH);
    return clipped
      .split(/\n{2,}/)
      .map((paragraph) => `<p>${escapeHtml(paragraph).replace(/\n/g, '<br />')}</p>`)
      .join('\n');
  }
  const html = marked.parse(source) as string;
  return sanitizeHtml(html, { ...SANITIZE, transformTags: headingTransforms(html) });
}
