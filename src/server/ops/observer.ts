// The process's observer of requests and writes (JSON log lines, Prometheus metrics), installed by
// the server at start (scripts/serve.ts → telemetry.ts). Scripts and tests install none, so their
// commands log nothing.
//
// It is kept on globalThis because the server loads src/ twice: scripts/serve.ts imports modules as
// they are, and Astro's build bundles its own copies. Both must report to the one observer.

export interface WriteReport {
  /** The audited actions, e.g. ['incident.open']; empty when the command failed before any. */
  actions: string[];
  /** What they touched, as type:publicId (ids only: never names, emails or text). */
  entities: string[];
  actor: 'user' | 'token' | 'system';
  ok: boolean;
  /** The error's class when the write was refused or failed (never its message: it may quote input). */
  error?: string;
  ms: number;
}

export interface Observer {
  write(report: WriteReport): void;
  /** The Prometheus exposition and its content type, when metrics are on. */
  metrics(): Promise<{ contentType: string; body: string }> | null;
}

const KEY = Symbol.for('candor.observer');
type Holder = { [KEY]?: Observer };

export function installObserver(observer: Observer | undefined): void {
  (globalThis as Holder)[KEY] = observer;
}

export function currentObserver(): Observer | undefined {
  return (globalThis as Holder)[KEY];
}
