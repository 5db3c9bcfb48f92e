// @ts-check
import { defineConfig } from 'astro/config';
import node from '@astrojs/node';

export default defineConfig({
  output: 'server',
  // Tests may build elsewhere so parallel runs don't overwrite each other's server.
  outDir: process.env.CANDOR_OUT_DIR ?? './dist',
  adapter: node({ mode: 'standalone' }),
  // Pages are small and server-rendered; no client framework, no prefetch scripts.
  prefetch: false,
  devToolbar: { enabled: false },
  // Refuse cross-site form posts (CSRF): a POST whose Origin is not this server's gets 403.
  // Astro's default, stated so nobody turns it off by accident. The session cookie is also
  // SameSite=Strict, a second line of defence.
  security: { checkOrigin: true },
  vite: {
    ssr: { external: ['better-sqlite3'] },
  },
});
