// Hostile strings for every text field staff can type. Saved through a form, each must come back
// escaped wherever it is shown (HTML, feeds, JSON) — never as live markup.
export const XSS_CORPUS = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  ']]>',
  '</title><script>alert(1)</script>',
  "'><svg onload=alert(1)>",
] as const;

/** Markup a payload must never produce in HTML outside an attribute value. */
export const RAW_MARKERS = ['<script>alert(1)', '<img src=x onerror', '<svg onload', '</title><script>'] as const;

/**
 * True when `html` contains a payload as live markup. Inside a double-quoted attribute value `<`
 * is inert (only `"` and `&` need escaping there), so quoted values are blanked first: a payload
 * that broke out of its quotes is then still caught.
 */
export function containsRawPayload(html: string): boolean {
  const outsideAttributes = html.replace(/=\s*"[^"]*"/g, '=""');
  return RAW_MARKERS.some((marker) => outsideAttributes.includes(marker)) || /(href|src|action)\s*=\s*["']?\s*javascript:/i.test(html);
}

/** A payload as an HTML text node or attribute value must carry it: `& < > " '` as entities. */
export function htmlEscaped(payload: string): string {
  const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
  return payload.replace(/[&<>"']/g, (c) => entities[c]!);
}
