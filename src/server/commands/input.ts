// Shape checks shared by the commands: zod for types, a message per field in plain words.
import { z } from 'zod';
import { stripInvisibleFormatting } from '../../domain/display-text.ts';
import { INCIDENT_LEVELS } from '../../domain/status.ts';
import { Invalid } from '../errors.ts';
import { markdownProblem, renderMarkdown } from '../markdown.ts';

export const TITLE_MAX_LENGTH = 200;

/**
 * Parses `input` or throws Invalid with the first problem of each field (dotted paths), together
 * with `extra` problems the caller found, so staff see every mistake at once.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, extra: Record<string, string> = {}): z.output<S> {
  const result = schema.safeParse(input);
  const fields: Record<string, string> = result.success ? {} : fieldMessages(result.error);
  Object.assign(fields, extra);
  if (result.success && Object.keys(fields).length === 0) return result.data;
  throw new Invalid(fields);
}

function fieldMessages(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join('.') || 'form';
    fields[key] ??= issue.message;
  }
  return fields;
}

export const title = (what: string) =>
  z
    .string({ error: `Give the ${what} a title.` })
    .overwrite(stripInvisibleFormatting)
    .trim()
    .min(1, `Give the ${what} a title.`)
    .max(TITLE_MAX_LENGTH, `Keep the title under ${TITLE_MAX_LENGTH} characters; put details in the message.`);

/** Markdown that must be present; refused (never clipped) beyond the renderer's limits. */
export const markdown = (missing: string) =>
  z
    .string({ error: missing })
    .trim()
    .min(1, missing)
    .superRefine((value, ctx) => {
      const problem = markdownProblem(value);
      if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
    });

export const instant = (missing: string) =>
  z.number({ error: missing }).int(missing).min(0, missing).max(8_640_000_000_000_000, missing);

export const confirmation = z.boolean({ error: 'Tick the box or leave it empty.' }).default(false);

export const incidentLevel = z.enum(INCIDENT_LEVELS, {
  error: 'Choose degraded performance, partial outage or major outage.',
});

/** Markdown source and its sanitised HTML, stored side by side. */
export function renderBody(source: string): { bodyMd: string; bodyHtml: string } {
  return { bodyMd: source, bodyHtml: renderMarkdown(source) };
}

/** "Notify subscribers" (the write API's `notify`): on unless staff untick it. */
export const notify = z.boolean({ error: 'Say true or false: tell subscribers or not.' }).default(true);
