// Placeholder until the staff workspace lands: passes every request through.
import type { MiddlewareHandler } from 'astro';

export const adminGuard: MiddlewareHandler = (_context, next) => next();
