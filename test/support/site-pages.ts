// Every HTML page of a running server, one URL per route, found by following links from / and
// /admin as a signed-in owner (plus the sign-in page and a missing page).
/** One URL per route: ids (12 base-36 characters or digits) and query strings don't make a new page. */
export function routeOf(pathname: string): string {
  return pathname.replace(/\/([a-z0-9]{12}|\d+)(?=\/|$)/g, '/:id');
}

const NOT_PAGES = /\.(rss|atom|json|svg|ics|css|png)$|^\/api\/|^\/admin\/sign-out/;

export async function discoverPages(base: string, cookie: string): Promise<string[]> {
  const routes = new Map<string, string>();
  const queue = ['/', '/admin', '/admin/sign-in', '/this-page-does-not-exist'];
  const seen = new Set(queue);
  while (queue.length > 0) {
    const path = queue.shift()!;
    const signInPage = path === '/admin/sign-in';
    const response = await fetch(base + path, { headers: signInPage ? {} : { cookie }, redirect: 'manual' });
    if (!(response.headers.get('content-type') ?? '').startsWith('text/html')) continue;
    routes.set(routeOf(path), path);
    const html = await response.text();
    for (const [, href] of html.matchAll(/href="([^"#]+)"/g)) {
      const url = new URL(href!.replaceAll('&amp;', '&'), base + path);
      if (url.origin !== base || NOT_PAGES.test(url.pathname)) continue;
      const route = routeOf(url.pathname);
      if (routes.has(route) || [...seen].some((p) => routeOf(p.split('?')[0]!) === route)) continue;
      seen.add(url.pathname + url.search);
      queue.push(url.pathname + url.search);
    }
  }
  return [...routes.values()];
}
