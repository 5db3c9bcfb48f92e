// Markdown → sanitised HTML, done once at save time and stored beside the source.
import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

/** marked is slow on huge hostile input; no status update needs more. */
export const MARKDOWN_MAX_LENGTH = 20_000;

const marked = new Marked({ gfm: true, breaks: true, async: false });

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [
    'p', 'br', 'strong', 'em', 'del', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li',
    'a', 'h3', 'h4', 'h5', 'h6', 'hr', 'table', 'thead', 'tbody', 'tr', 'th', 'td',
  ],
  allowedAttributes: { a: ['href', 'title', 'rel'], ol: ['start'], th: ['align'], td: ['align'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowProtocolRelative: false,
  // Headings of user text sit below the page's own h1/h2.
  transformTags: {
    h1: 'h3',
    h2: 'h4',
    a: sanitizeHtml.simpleTransform('a', { rel: 'nofollow noopener' }),
  },
};

export function renderMarkdown(source: string): string {
  const clipped = source.length > MARKDOWN_MAX_LENGTH ? source.slice(0, MARKDOWN_MAX_LENGTH) : source;
  const html = marked.parse(clipped) as string;
  return sanitizeHtml(html, SANITIZE);
}
