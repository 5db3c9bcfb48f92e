// Reads that met a database that cannot be read (damaged pages, an unreadable file), as this process
// saw them, for /healthz: a page that failed is answered from its last good bytes or with 503, and
// the health check must not go on saying "ok" meanwhile. The front server (scripts/serve.ts) notes
// what its render worker reports, and storage-fault-response.ts what this thread meets. The state
// lives on globalThis because the front server and the built Astro handler each load their own copy
// of this module into the one process.
const KEY = Symbol.for('candor.read-faults');

/** How long after the last failed read /healthz still reports it. */
export const READ_FAULT_MEMORY_MS = 60_000;

/** The header with which a response that met a storage fault names it (storage-fault-response.ts). */
export const FAULT_HEADER = 'x-candor-fault';

interface ReadFaults {
  lastAt: number | null;
}

function state(): ReadFaults {
  const shared = globalThis as typeof globalThis & { [KEY]?: ReadFaults };
  shared[KEY] ??= { lastAt: null };
  return shared[KEY];
}

export function noteReadFault(at: number): void {
  state().lastAt = at;
}

/** Whether a read failed within READ_FAULT_MEMORY_MS before `now`. */
export function readFaultRecent(now: number): boolean {
  const { lastAt } = state();
  return lastAt !== null && now - lastAt < READ_FAULT_MEMORY_MS;
}
