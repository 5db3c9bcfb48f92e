// Turns a zod schema's verdict into the Invalid error the forms show: one message per field,
// the first problem found for each.
import type { z } from 'zod';
import { Invalid } from '../errors.ts';

export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const key = issue.path.length > 0 ? issue.path.map(String).join('.') : 'form';
    fields[key] ??= issue.message;
  }
  throw new Invalid(fields);
}
