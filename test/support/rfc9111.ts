// Reads caching headers the way the standards tell a cache to, independently of Candor's code:
//  - Cache-Control by RFC 9111 §5.2 (directive = token [ "=" ( token / quoted-string ) ], names
//    case-insensitive, the first of a repeated directive counts), with stale-if-error from RFC 5861;
//  - CDN-Cache-Control by RFC 9213, which makes it an RFC 8941 dictionary (parsed by a real parser).
import { parseDictionary } from 'structured-headers';

export type Directives = Map<string, string | true>;

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** RFC 9111 §5.2: a comma-separated list of directives; throws on anything the grammar refuses. */
export function parseCacheControl(value: string): Directives {
  const directives: Directives = new Map();
  const pattern = /\s*([^=,\s]+)\s*(?:=\s*("(?:[^"\\]|\\.)*"|[^,\s]*))?\s*(?:,|$)/gy;
  const rest = value.trim();
  if (rest === '') return directives;
  while (pattern.lastIndex < rest.length) {
    const match = pattern.exec(rest);
    if (!match) throw new Error(`Cache-Control is not a list of directives: ${value}`);
    const [, name, argument] = match;
    if (!TOKEN.test(name!)) throw new Error(`bad directive name "${name}" in ${value}`);
    if (argument !== undefined && !argument.startsWith('"') && !TOKEN.test(argument)) throw new Error(`bad argument "${argument}" in ${value}`);
    const key = name!.toLowerCase();
    if (!directives.has(key)) directives.set(key, argument === undefined ? true : argument.replace(/^"|"$/g, '').replace(/\\(.)/g, '$1'));
  }
  return directives;
}

/** RFC 9213: CDN-Cache-Control is a dictionary; booleans for bare keys, integers for delta-seconds. */
export function parseCdnCacheControl(value: string): Directives {
  const directives: Directives = new Map();
  for (const [key, [item]] of parseDictionary(value)) {
    if (item === true) directives.set(key, true);
    else if (typeof item === 'number' && Number.isInteger(item)) directives.set(key, String(item));
    else throw new Error(`CDN-Cache-Control ${key} must be a boolean or an integer, got ${String(item)}`);
  }
  return directives;
}

/** delta-seconds (RFC 9111 §1.2.2): digits only; anything else makes the directive invalid. */
function seconds(directives: Directives, name: string): number | null {
  const raw = directives.get(name);
  return typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : null;
}

export interface SharedCacheReading {
  /** §3: a shared cache may store the response (no no-store, no private, an explicit lifetime or public). */
  mayStore: boolean;
  /** §4.2.1: freshness lifetime in a shared cache, in seconds (s-maxage, else max-age). */
  freshFor: number;
  /** RFC 5861 §3: how long past freshness the cache may serve it while revalidating. */
  staleWhileRevalidate: number;
  /**
   * RFC 5861 §4, limited by RFC 9111 §4.2.4: how long past freshness the cache may serve it when the
   * origin fails — zero when must-revalidate, proxy-revalidate, s-maxage (§5.2.2.10: it implies
   * proxy-revalidate) or no-cache forbids serving it stale.
   */
  staleIfError: number;
}

export function readAsSharedCache(directives: Directives): SharedCacheReading {
  const mayStore = !directives.has('no-store') && !directives.has('private') && (directives.has('public') || directives.has('max-age') || directives.has('s-maxage'));
  const freshFor = seconds(directives, 's-maxage') ?? seconds(directives, 'max-age') ?? 0;
  const forbidsStale = ['must-revalidate', 'proxy-revalidate', 's-maxage', 'no-cache'].some((name) => directives.has(name));
  return {
    mayStore,
    freshFor,
    staleWhileRevalidate: forbidsStale ? 0 : (seconds(directives, 'stale-while-revalidate') ?? 0),
    staleIfError: forbidsStale ? 0 : (seconds(directives, 'stale-if-error') ?? 0),
  };
}
