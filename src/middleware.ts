// Thin wiring: each concern lives in src/server/http and is tested there.
import { sequence } from 'astro:middleware';
import { adminGuard } from './server/http/admin-guard.ts';
import { publicCaching } from './server/http/public-caching.ts';
import { securityHeaders } from './server/http/security-headers.ts';
import { storageFaultResponse } from './server/http/storage-fault-response.ts';

export const onRequest = sequence(securityHeaders, storageFaultResponse, adminGuard, publicCaching);
