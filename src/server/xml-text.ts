// Text bound for XML (feeds, calendars, badges) must be free of characters XML forbids and
// escaped where it becomes markup. Stored text is user input and may contain anything.

// C0 controls except tab/LF/CR, DEL and C1 controls, the two non-characters, and unpaired surrogates.
const XML_ILLEGAL =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function stripXmlIllegal(text: string): string {
  return text.replace(XML_ILLEGAL, '');
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML or XML content and attribute values, dropping illegal characters. */
export function escapeMarkup(text: string): string {
  return stripXmlIllegal(text).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}
