// WCAG 2.2 AA with axe over every public and workspace page, light and dark, 390 px (test/support/accessibility.ts).
import { describeEveryPageAccessible } from '../support/accessibility.ts';

describeEveryPageAccessible(390);
