import { defineConfig } from 'vitest/config';
import LongestFirst from './test/support/sequencer.ts';

// Hashing passwords at OWASP's argon2 cost takes ~150 ms each here, and the suite hashes hundreds:
// everything but test/db/password-cost.test.ts (which checks the real cost) uses a trivial one.
// Servers the tests start inherit it from the environment.
const FAST_HASHING = { CANDOR_PASSWORD_HASH_COST: 'test' };
const REAL_COST = 'test/db/password-cost.test.ts';
// Generous for a busy shared machine, where a server or Chromium start alone can take many seconds.
const timeouts = { testTimeout: 90_000, hookTimeout: 120_000 };

export default defineConfig({
  test: {
    // Most HTTP and browser test files spend their time waiting for their own server or
    // Chromium process, so more files than cores run at once (vitest's default is cores − 1).
    maxWorkers: 3,
    // The longest files start first (test/support/sequencer.ts, figures in test/durations.json), so
    // that a clean checkout, which has no results cache to go by, does not end on one long file.
    sequence: { sequencer: LongestFirst },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/db/**/*.test.ts'],
          exclude: [REAL_COST],
          env: FAST_HASHING,
          // Plain modules over temporary databases: one worker serves many files instead of a
          // fresh process per file (~1 s each).
          isolate: false,
          ...timeouts,
        },
      },
      {
        test: {
          name: 'http',
          include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          env: FAST_HASHING,
          // These run against the built server; build it once per run.
          globalSetup: ['test/support/build-once.ts'],
          ...timeouts,
        },
      },
      { test: { name: 'password-cost', include: [REAL_COST], ...timeouts } },
    ],
  },
});
