// Field rules shared by the user and account commands.
import { z } from 'zod';

export { STAFF_ROLES as ROLES } from '../../domain/status.ts';
import { STAFF_ROLES } from '../../domain/status.ts';

export const emailField = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, 'Enter an email address.')
  .max(254, 'That email address is too long.')
  .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'Enter an email address like name@example.com.');

export const nameField = z
  .string()
  .trim()
  .min(1, 'Enter a name.')
  .max(100, 'Use at most 100 characters.');

export const roleField = z.enum(STAFF_ROLES, 'Choose owner, editor or viewer.');
