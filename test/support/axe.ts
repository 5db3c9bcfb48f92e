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

/** One line per violation: the rule, and up to three of its elements with what fails there. */
export function describeViolation(violation: axe.Result): string {
  const nodes = violation.nodes.slice(0, 3).map((n) => `${n.target.join(' ')} ${n.failureSummary?.split('\n')[1] ?? ''}`.trim());
  return `${violation.id}: ${nodes.join(' | ')}`;
}

export const WIDTHS = [390, 1280] as const;
export const HEIGHT = 900;
export const SCHEMES = ['light', 'dark'] as const;

/**
 * Checks the loaded page at 390 and 1280 px (page.setViewportSize: the layout and media queries
 * follow, as when a phone turns), in the light and the dark scheme at each (page.emulateMedia,
 * which the stylesheet's prefers-color-scheme query follows at once). Before each check the
 * document itself must report the width and the scheme (a condition, not a pause), so axe never
 * looks at the page in the previous state. Returns each violation as `(width px, scheme) rule:
 * elements`, and the widths at which the page's background did not change with the scheme: proof
 * that the switch took effect where axe looked.
 */
export async function checkEveryWidthAndScheme(page: Page): Promise<{ violations: string[]; backgroundUnchangedAt: number[] }> {
  const violations: string[] = [];
  const backgroundUnchangedAt: number[] = [];
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: HEIGHT });
    await page.waitForFunction((w) => window.innerWidth === w, width);
    const backgrounds = new Set<string>();
    for (const colorScheme of SCHEMES) {
      await page.emulateMedia({ colorScheme });
      await page.waitForFunction((dark) => matchMedia('(prefers-color-scheme: dark)').matches === dark, colorScheme === 'dark');
      backgrounds.add(await page.evaluate(() => getComputedStyle(document.body).backgroundColor));
      violations.push(...(await axeViolations(page)).map((v) => `(${width} px, ${colorScheme}) ${describeViolation(v)}`));
    }
    if (backgrounds.size !== SCHEMES.length) backgroundUnchangedAt.push(width);
  }
  return { violations, backgroundUnchangedAt };
}
