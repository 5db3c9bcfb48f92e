// Reading a write-API request body: a JSON object with snake_case names (like every Candor and
// standard-API response), ISO 8601 times with an offset. The commands take camelCase names and
// epoch milliseconds, so names and times are translated here — and error field names back.
import type { z } from 'zod';

export type JsonObject = Record<string, unknown>;

export class BadBody extends Error {}

export const snakeToCamel = (name: string) => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
export const camelToSnake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** A command's error field ("periods.0.startedAt") as the client named it ("periods.0.started_at"). */
export const toRequestField = (path: string) => path.split('.').map(camelToSnake).join('.');

const isPlainObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** No command takes more than three levels (periods → an item → a time); JSON.parse accepts any. */
export const MAX_JSON_DEPTH = 16;

/** How deeply objects and arrays nest in a parsed value, counted without recursion, stopping past `limit`. */
export function jsonDepth(value: unknown, limit = MAX_JSON_DEPTH): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    deepest = Math.max(deepest, depth);
    if (deepest > limit) return deepest;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/** The body as a JSON object; an empty body counts as `{}`. Throws BadBody (→ 400) otherwise. */
export async function readJsonObject(request: Request): Promise<JsonObject> {
  const text = await request.text();
  if (text.trim() === '') return {};
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(type)) {
    throw new BadBody(`Send JSON with "Content-Type: application/json" (got ${type === '' ? 'no content type' : `"${type}"`}).`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new BadBody(`The body is not valid JSON: ${(error as Error).message}`);
  }
  if (!isPlainObject(parsed)) throw new BadBody('The body must be a JSON object, e.g. {"message": "…"}.');
  if (jsonDepth(parsed) > MAX_JSON_DEPTH) throw new BadBody(`The JSON nests objects and arrays more than ${MAX_JSON_DEPTH} levels deep; no request needs more.`);
  return parsed;
}

type Def = { type: string; shape?: Record<string, z.ZodType>; element?: z.ZodType; innerType?: z.ZodType; in?: z.ZodType };
const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Strips optional/nullable/default wrappers down to the object or array underneath. */
function unwrap(schema: z.ZodType): Def {
  let def = defOf(schema);
  while (def.innerType || (def.type === 'pipe' && def.in)) def = defOf((def.innerType ?? def.in)!);
  return def;
}

/**
 * Names the schema does not know, with the path the client used: a typo ("failover_completed")
 * or a camelCase name must not be silently ignored, or the client believes it did something.
 */
export function unknownFields(schema: z.ZodType, value: unknown, path: string[] = []): Record<string, string> {
  const def = unwrap(schema);
  // No prototype: a field named "__proto__" or "constructor" is just an unknown name here.
  const problems: Record<string, string> = Object.create(null) as Record<string, string>;
  if (def.type === 'object' && def.shape && isPlainObject(value)) {
    const known = Object.keys(def.shape).map(camelToSnake);
    for (const [key, child] of Object.entries(value)) {
      const camel = snakeToCamel(key);
      if (camelToSnake(camel) === key && Object.hasOwn(def.shape, camel)) Object.assign(problems, unknownFields(def.shape[camel]!, child, [...path, key]));
      else problems[[...path, key].join('.')] = `Unknown field "${key}". Known fields here: ${known.join(', ')}.`;
    }
  } else if (def.type === 'array' && def.element && Array.isArray(value)) {
    value.forEach((item, i) => Object.assign(problems, unknownFields(def.element!, item, [...path, String(i)])));
  }
  return problems;
}

export function camelizeKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelizeKeys);
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [snakeToCamel(k), camelizeKeys(v)]));
  return value;
}

const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):(\d{2}))$/i;
export const TIME_HINT = 'Use an ISO 8601 time with its offset, e.g. 2026-11-20T09:15:00Z or 2026-11-20T10:15:00+01:00.';

/** Epoch ms for an ISO 8601 instant with offset, or null when it is not one (or not a real date). */
export function parseIsoInstant(text: string): number | null {
  const m = ISO_INSTANT.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as number[];
  const daysInMonth = new Date(Date.UTC(year!, month!, 0)).getUTCDate();
  if (month! < 1 || month! > 12 || day! < 1 || day! > daysInMonth || hour! > 23 || minute! > 59 || second! > 59) return null;
  if (m[8] !== undefined && (Number(m[8]) > 23 || Number(m[9]) > 59)) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : ms;
}

/**
 * Replaces ISO times by epoch ms at the given camelCase paths ("periods.*.endedAt"); null and
 * absent values pass through for the command to judge. Returns the problems by request field.
 */
export function convertInstants(body: JsonObject, paths: readonly string[]): Record<string, string> {
  const problems: Record<string, string> = {};
  const visit = (node: unknown, parts: string[], at: string[]) => {
    const [head, ...rest] = parts;
    if (head === '*') {
      if (Array.isArray(node)) node.forEach((item, i) => visit(item, rest, [...at, String(i)]));
      return;
    }
    if (!isPlainObject(node) || head === undefined || !(head in node)) return;
    if (rest.length > 0) return visit(node[head], rest, [...at, head]);
    const value = node[head];
    if (value === null || value === undefined) return;
    const ms = typeof value === 'string' ? parseIsoInstant(value.trim()) : null;
    if (ms === null) problems[toRequestField([...at, head].join('.'))] = typeof value === 'string' ? `"${value}" is not a time. ${TIME_HINT}` : TIME_HINT;
    else node[head] = ms;
  };
  for (const path of paths) visit(body, path.split('.'), []);
  return problems;
}
