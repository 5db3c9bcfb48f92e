// The one list of site-wide public URLs (purged on every public write, the static export's seeds)
// stays in step with the routes in src/pages: every entry is a route, and every public route
// without a parameter is listed or set aside here with its reason.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SITE_WIDE_PATHS } from '../../src/server/public-paths.ts';

const PAGES = fileURLToPath(new URL('../../src/pages', import.meta.url));

/** The URL path each route file in src/pages answers ('[…]' segments stay as they are). */
function routePaths(): string[] {
  return readdirSync(PAGES, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(astro|ts)$/.test(e.name))
    .map((e) => path.relative(PAGES, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .map((file) => `/${file.replace(/\.(astro|ts)$/, '').replace(/(^|\/)index$/, '')}`.replace(/(.)\/$/, '$1'));
}

/** Public routes without a parameter that are deliberately not site-wide, and why. */
const SET_ASIDE: [RegExp, string][] = [
  [/^\/(admin|api\/admin)(\/|$)/, 'the workspace and the write API are private'],
  [/^\/api\/alerts\//, 'alert intake takes POSTs'],
  [/^\/(healthz|metrics)$/, 'about this process, never cached'],
  [/^\/404$/, 'the not-found page answers other paths'],
  [/^\/subscribe(\/|$)/, 'subscription forms and token links: no incident, maintenance or status on them'],
];

describe('site-wide public paths', () => {
  const routes = routePaths();

  it('finds the routes', () => {
    expect(routes).toContain('/');
    expect(routes).toContain('/api/v2/incidents/unresolved.json');
    expect(routes).toContain('/incidents/[id]');
  });

  it('lists only paths a route answers, each once', () => {
    expect(SITE_WIDE_PATHS.filter((p) => !routes.includes(p))).toEqual([]);
    expect(new Set(SITE_WIDE_PATHS).size).toBe(SITE_WIDE_PATHS.length);
  });

  it('lists every public route without a parameter, unless set aside with a reason', () => {
    const unlisted = routes.filter(
      (route) => !route.includes('[') && !(SITE_WIDE_PATHS as readonly string[]).includes(route) && !SET_ASIDE.some(([pattern]) => pattern.test(route)),
    );
    expect(unlisted, 'add these to src/server/public-paths.ts, or set them aside here with the reason').toEqual([]);
  });
});
