// axe-core for the browser tests: the rules and how they are run, in one place.
// axe is loaded into the document beforehand (an init script, or one evaluate of axe.source) and
// run there with axe.run, as the @axe-core/playwright wrapper's legacy mode did (our pages have no
// frames), but only the violations come back: the full results (every rule's passes, incomplete and inapplicable
// entries, each with its descriptions) crossed the DevTools protocol for every check, at a cost of
// about 10 % of a crawl file's CPU. Checked against AxeBuilder on a page with six kinds of violation:
// the same rules and nodes.
import type axe from 'axe-core';
import type { Page } from 'playwright-core';

// Every rule axe runs by default, plus target-size (WCAG 2.2 AA 2.5.8), which axe leaves off. axe
// describes only violations in full (resultTypes): the nodes that pass are counted, not described.
export const WCAG_22: axe.RunOptions = { rules: { 'target-size': { enabled: true } }, resultTypes: ['violations'] };

/** axe's violations on the page as it is now (axe must already be loaded into its document). */
export function axeViolations(page: Page): Promise<axe.Result[]> {
  return page.evaluate((options) => (window as unknown as { axe: typeof axe }).axe.run(document, options).then((results) => results.violations), WCAG_22);
}
