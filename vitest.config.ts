import { defineConfig } from 'vitest/config';

// One flat suite for now; test/db, test/integration and test/e2e can become projects later.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
  },
});
