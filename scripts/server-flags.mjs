// V8 heap settings for the Candor server process. Its live heap is about 25-35 MB, but V8 lets the
// young generation and old space grow well past that before collecting, all of it resident. The
// main thread only answers from memory and runs the workspace, so a small young generation (4 MB
// semi-spaces; 16 MB cost about 25 MB of resident memory under load) is plenty. The render worker's
// limits are in render-pool.ts. Measured with npm run bench:memory (README).
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=4', '--max-old-space-size=256'];

/**
 * Environment for the server process: glibc keeps a malloc arena per thread (the render worker, the
 * libuv pool that compresses, V8's helpers), each holding freed memory; two arenas kept about 20 MB
 * less resident under load (npm run bench:memory). Read by glibc at process start, so it is set by
 * whatever starts the server (scripts/start.mjs, the re-exec in serve.ts, Dockerfile, systemd unit).
 */
export const SERVER_ENV = { MALLOC_ARENA_MAX: '2' };

/** Whether this process already runs with them. */
export function hasServerFlags(execArgv = process.execArgv) {
  return SERVER_NODE_FLAGS.every((flag) => execArgv.includes(flag));
}
