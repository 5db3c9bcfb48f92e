// The page a reader of the public site gets when Candor cannot read its data and has no earlier copy
// of the page to show. Self-contained (no imports): the front server uses it too, before Astro.
export const READER_MESSAGE = 'This status page cannot read its data right now, so it cannot show this page. Please try again in a few minutes.';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function unavailableHtml(title: string, message: string, extra = ''): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><link rel="stylesheet" href="/candor.css"></head><body><main class="wrap narrow"><h1>${escapeHtml(title)}</h1><p role="alert">${escapeHtml(message)}</p>${extra}</main></body></html>`;
}

export const READER_TITLE = 'Status temporarily unavailable';
