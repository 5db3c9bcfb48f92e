// Placeholder until HTTP caching lands: passes every request through.
import type { MiddlewareHandler } from 'astro';

export const publicCaching: MiddlewareHandler = (_context, next) => next();
