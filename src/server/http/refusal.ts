// A small self-contained page (or JSON for the API) saying why a request was refused.
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function refusalResponse(kind: 'page' | 'api', status: number, message: string): Response {
  if (kind === 'api') {
    return new Response(JSON.stringify({ error: message }), {
      status,
      headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'private, no-store' },
    });
  }
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>Refused · Candor workspace</title><link rel="stylesheet" href="/candor.css"><link rel="stylesheet" href="/admin.css"></head><body class="admin"><main class="wrap narrow"><h1>Refused</h1><p>${escapeHtml(message)}</p><p><a href="/admin">Back to the workspace</a></p></main></body></html>`;
  return new Response(html, { status, headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'private, no-store' } });
}

/** A public page's 400: what was wrong with the address, and a link to a good one. */
export function badRequestPage(message: string, back: { href: string; label: string }): Response {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>Bad address</title><link rel="stylesheet" href="/candor.css"></head><body><main class="wrap narrow"><h1>This address is not right</h1><p>${escapeHtml(message)}</p><p><a href="${escapeHtml(back.href)}">${escapeHtml(back.label)}</a></p></main></body></html>`;
  return new Response(html, { status: 400, headers: { 'Content-Type': 'text/html; charset=utf-8' } });
}
