import path from 'node:path';
import { defineConfig } from 'vitest/config';
import LongestFirst from './test/support/sequencer.ts';

// Hashing passwords at OWASP's argon2 cost takes ~150 ms each here, and the suite hashes hundreds:
// everything but test/db/password-cost.test.ts (which checks the real cost) uses a trivial one.
// Servers the tests start inherit it from the environment.
const FAST_HASHING = { CANDOR_PASSWORD_HASH_COST: 'test' };
const REAL_COST = 'test/db/password-cost.test.ts';
// Generous for a busy shared machine, where a server or Chromium start alone can take many seconds.
const timeouts = { testTimeout: 90_000, hookTimeout: 120_000 };

// Node's compile cache (stripped TypeScript and V8 code, checked against each file's contents) for
// every process of the run: the workers, and the servers and scripts they start (a hundred or so),
// load the same modules again and again. Set here, before vitest starts its workers, which pass it
// on to what they spawn. With the shared HTTP workers below: 10 HTTP files took 35 CPU-seconds
// instead of 56.
process.env.NODE_COMPILE_CACHE ??= path.resolve('node_modules/.cache/candor-test-compile-cache');
// The same processes load drizzle-orm as plain modules (the workers, and the scripts the tests run):
// scripts/load-hooks.mjs saves each one about 1.5 CPU-seconds of parsing drizzle's package.json.
const LOAD_HOOKS = `--import=${JSON.stringify(path.resolve('scripts/load-hooks.mjs'))}`;
if (!(process.env.NODE_OPTIONS ?? '').includes(LOAD_HOOKS)) process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} ${LOAD_HOOKS}`.trim();

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
          // Each file starts its own servers, browsers and databases and changes no process-wide
          // state (environment, globals, mocks), so a worker process serves many files in turn
          // instead of one started (and its modules loaded) per file: about 1 CPU-second a file.
          isolate: false,
          ...timeouts,
        },
      },
      { test: { name: 'password-cost', include: [REAL_COST], ...timeouts } },
    ],
  },
});
