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

/**
 * The markup a payload must never produce in HTML. `javascript:alert(1)` and `]]>` are harmless
 * as text, so for them the check is that they never land in an attribute that runs or a CDATA end.
 */
export const RAW_MARKERS = ['<script>alert(1)', '<img src=x onerror', '<svg onload', '</title><script>'] as const;

/** True when `html` contains any payload as live markup. */
export function containsRawPayload(html: string): boolean {
  return RAW_MARKERS.some((marker) => html.includes(marker)) || /href\s*=\s*["']?javascript:/i.test(html);
}
