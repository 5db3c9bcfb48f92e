// The public URLs that show the whole site, without a parameter: pages, feeds and API documents
// that list everything. Any public write may change them, so purge-on-write sends them to the CDN
// (ops/purge.ts), and the static export starts its crawl from them (scripts/export/site.ts).
// test/unit/public-paths.test.ts keeps the list in step with the routes in src/pages.
export const SITE_WIDE_PATHS = [
  '/',
  '/history',
  '/uptime',
  '/history.rss',
  '/history.atom',
  '/history.json',
  '/maintenance.ics',
  '/badge.svg',
  '/api/uptime.json',
  '/api/status.json',
  '/api/v2/summary.json',
  '/api/v2/status.json',
  '/api/v2/components.json',
  '/api/v2/incidents.json',
  '/api/v2/incidents/unresolved.json',
  '/api/v2/scheduled-maintenances.json',
  '/api/v2/scheduled-maintenances/upcoming.json',
  '/api/v2/scheduled-maintenances/active.json',
] as const;
