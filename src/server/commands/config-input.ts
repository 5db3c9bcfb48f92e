// Field rules for the configuration forms (components, groups, policies, settings). Forms send
// text; these turn it into numbers and ids with one plain message per field.
import { z } from 'zod';
import { stripInvisibleFormatting } from '../../domain/display-text.ts';

/** Text to number: '' is "not given" (undefined), a decimal comma is accepted. */
const toNumber = (value: unknown) => {
  if (typeof value !== 'string') return value;
  const text = value.trim().replace(',', '.');
  return text === '' ? undefined : Number(text);
};

export const numberField = (message: string, min: number, max: number) =>
  z.preprocess(toNumber, z.number({ error: message }).refine((n) => Number.isFinite(n) && n >= min && n <= max, message));

export const optionalNumberField = (message: string, min: number, max: number) =>
  z.preprocess(toNumber, z.number({ error: message }).refine((n) => Number.isFinite(n) && n >= min && n <= max, message).optional());

export const integerField = (message: string, min: number, max: number) =>
  z.preprocess(toNumber, z.number({ error: message }).int(message).min(min, message).max(max, message));

export const optionalIntegerField = (message: string, min: number, max: number) =>
  z.preprocess(toNumber, z.number({ error: message }).int(message).min(min, message).max(max, message).optional());

/** Names are published: bidi controls and zero-width characters are dropped before any check. */
export const nameText = (what: string) =>
  z.string({ error: `Give the ${what} a name.` }).overwrite(stripInvisibleFormatting).trim().min(1, `Give the ${what} a name.`).max(100, 'Use at most 100 characters.');

/** Plain text shown escaped on public pages; '' becomes null. */
export const descriptionText = z
  .string()
  .trim()
  .max(500, 'Use at most 500 characters.')
  .transform((text) => (text === '' ? null : text));

/** A public id chosen in a select, or '' for none. */
export const optionalRef = z
  .string()
  .trim()
  .transform((text) => (text === '' ? null : text));

/** A calendar date as the date input sends it, checked to exist; '' for none. */
export const optionalDate = z
  .string()
  .trim()
  .refine((text) => text === '' || isCalendarDate(text), 'Enter a date as YYYY-MM-DD, e.g. 2024-03-01.')
  .transform((text) => (text === '' ? null : text));

export function isCalendarDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.toISOString().slice(0, 10) === text;
}
