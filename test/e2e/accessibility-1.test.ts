// WCAG 2.2 AA with axe over every public and workspace page, 390 and 1280 px, light and dark: the
// first of every two pages found (test/support/accessibility.ts; accessibility-2 checks the others).
import { describeEveryPageAccessible } from '../support/accessibility.ts';

describeEveryPageAccessible(0, 2);
