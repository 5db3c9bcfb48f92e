// WCAG 2.2 AA with axe over every public and workspace page, 390 and 1280 px, light and dark: the
// second of every two pages found (test/support/accessibility.ts; accessibility-1 checks the others).
import { describeEveryPageAccessible } from '../support/accessibility.ts';

describeEveryPageAccessible(1, 2);
