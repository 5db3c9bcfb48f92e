// What a public page shows, in the words the page_changes triggers write (migration 0009): a page
// that says so is rendered again only after writes that touch one of these (rendered-cache.ts).
// A page that says nothing is rendered again after every write — the safe default. Only say what
// a page shows when every piece of data on it is covered: its own record, its components'
// incidents and maintenance; names, groups, policies and settings are `*`, which touches every page.

export const incidentScope = (publicId: string) => `incident:${publicId}`;
export const maintenanceScope = (publicId: string) => `maintenance:${publicId}`;
export const componentScope = (slug: string) => `component:${slug}`;

/** Records what the page being rendered shows; publicCaching passes it to the cache. */
export function dependsOn(locals: App.Locals, scopes: readonly string[]): void {
  locals.dependsOn = scopes;
}
