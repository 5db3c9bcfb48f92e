// V8 heap settings for the Candor server process. Its live heap is about 25-35 MB, but V8 lets the
// young generation and old space grow well past that before collecting, all of it resident. The
// main thread only answers from memory and runs the workspace, so a small young generation (4 MB
// semi-spaces; 16 MB cost about 25 MB of resident memory under load) is plenty. The render worker's
// limits are in render-pool.ts. Measured with npm run bench:memory (README).
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=4', '--max-old-space-size=256'];

/**
 * Environment for the server process, read by glibc's malloc at process start, so it is set by
 * whatever starts the server (scripts/start.mjs, the re-exec in serve.ts, Dockerfile, systemd unit):
 * - two arenas: glibc keeps one per thread (the render and delivery workers, the libuv pool that
 *   compresses, V8's helpers), each holding freed memory; two kept about 20 MB less resident under
 *   load (npm run bench:memory).
 * - blocks of 64 KB and more (rendered pages, their compressed variants, a render's buffers) get
 *   their own mapping, returned to the system when freed. By default glibc raises that threshold to
 *   32 MB after the first such block is freed, and pages then sit in the arenas, which keep the
 *   holes that evicted pages leave: 307 -> 287 MB peak at 20,000 requests of npm run bench:memory.
 *   A fixed threshold also fixes the trim threshold, here 1 MB: free memory above that at the top of
 *   an arena goes back to the system.
 */
export const SERVER_ENV = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '65536', MALLOC_TRIM_THRESHOLD_: '1048576' };

/** Whether this process already runs with them. */
export function hasServerFlags(execArgv = process.execArgv) {
  return SERVER_NODE_FLAGS.every((flag) => execArgv.includes(flag));
}
