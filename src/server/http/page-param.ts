// The `?page=` of a paged public list. Only plain whole numbers name a page, each with one
// spelling, so junk (NaN, -1, 2.5, 1e309, twenty digits) can neither throw deep in date arithmetic
// nor make a cache entry of its own: it gets a 400, and `page=1` or `page=02` a redirect to the
// canonical URL.

/** 10,000 pages of three months reach back 2,500 years: further is certainly a made-up URL. */
export const MAX_PAGE = 10_000;

export type PageParam = { page: number } | { redirect: string } | { problem: string };

export function readPageParam(url: URL): PageParam {
  const raw = url.searchParams.get('page');
  if (raw === null) return { page: 1 };
  const digits = /^0*([1-9]\d{0,5})$/.exec(raw);
  const page = digits ? Number(digits[1]) : NaN;
  if (!(page >= 1 && page <= MAX_PAGE)) {
    return { problem: `"${raw.slice(0, 40)}" is not a page number. Pages are numbered 1 to ${MAX_PAGE.toLocaleString('en-US')}.` };
  }
  const canonical = page === 1 ? null : String(page);
  if (raw === canonical) return { page };
  const target = new URL(url);
  target.searchParams.delete('page');
  if (canonical !== null) target.searchParams.set('page', canonical);
  return { redirect: target.pathname + target.search };
}
