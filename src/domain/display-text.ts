// Names and titles are shown to customers as plain text, in pages, feeds, calendars and badges.
// Invisible formatting characters there only serve spoofing: a right-to-left override makes
// "Payments" + U+202E + "lanigiro" read as "Paymentsoriginal", a zero-width space makes two components look alike.

/**
 * Bidi embeddings, overrides and isolates, the direction marks, and zero-width characters. A
 * zero-width joiner between two pictographs is kept: it is how emoji sequences (👩‍💻) are written.
 */
const INVISIBLE = /[\u061C\u200B\u200C\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\u180E]|(?<!\p{Extended_Pictographic}\uFE0F?)\u200D|\u200D(?!\p{Extended_Pictographic})/gu;

/** The text without bidi controls and zero-width characters. */
export function stripInvisibleFormatting(text: string): string {
  return text.replace(INVISIBLE, '');
}
