// @ts-check
import { defineConfig } from 'astro/config';
import node from '@astrojs/node';
import { fileURLToPath } from 'node:url';
import { outDirOf } from './src/config.ts';

export default defineConfig({
  output: 'server',
  // Tests may build elsewhere so parallel runs don't overwrite each other's server.
  outDir: outDirOf(fileURLToPath(new URL('.', import.meta.url))),
  // Middleware mode: scripts/serve.ts runs the HTTP server and keeps rendered bytes in front of Astro.
  adapter: node({ mode: 'middleware' }),
  // Pages are small and server-rendered; no client framework, no prefetch scripts.
  prefetch: false,
  devToolbar: { enabled: false },
  // Cross-site writes (CSRF) are refused by src/server/http/admin-guard.ts instead: Astro's check
  // compares Origin with the URL Node saw, which is http://… behind a TLS-terminating proxy, so it
  // refused every workspace form there. The guard trusts the proxy's X-Forwarded-* headers only
  // when CANDOR_TRUST_PROXY is set. The session cookie is also SameSite=Strict.
  security: { checkOrigin: false },
  vite: {
    // drizzle-orm bundled into the server build: loaded as ~300 separate ES modules, it costs Node 24
    // about 200 MB of transient heap that stays resident (see npm run bench, peak memory).
    ssr: { external: ['better-sqlite3'], noExternal: ['drizzle-orm'] },
  },
});
