// Readers at a fixed rate, for `npm run bench:fanout`, in a process of their own (forked, IPC): GETs
// of one URL sent on a schedule (open loop), not as fast as the server answers. Each request's
// latency counts from when the schedule said to send it, so a server that stalls is charged for the
// requests that waited behind the stall too (no "coordinated omission"). Below saturation the p99
// then says whether anything holds the server's answers up, not how long the queue is.
// Messages: ← { start: { url, rate, connections, headers } } → 'started'; ← 'stop' → PacedResult; ← 'exit'.
import http from 'node:http';

export interface PacedResult {
  /** Requests answered per second over the reading. */
  requestsPerSec: number;
  /** What the schedule asked for. */
  rate: number;
  p50: number;
  p99: number;
  p999: number;
  max: number;
  errors: number;
  non2xx: number;
}

type Start = { url: string; rate: number; connections: number; headers: Record<string, string> };

const send = (message: unknown) => process.send!(message);
let stopReading: (() => PacedResult) | null = null;

function start({ url, rate, connections, headers }: Start): () => PacedResult {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const latencies: number[] = [];
  let errors = 0;
  let non2xx = 0;
  let scheduled = 0;
  const t0 = performance.now();
  const fire = (intendedAt: number) => {
    const request = http.get(url, { agent, headers }, (response) => {
      if (response.statusCode! < 200 || response.statusCode! >= 400) non2xx++;
      response.on('data', () => undefined);
      response.on('end', () => latencies.push(performance.now() - intendedAt));
    });
    request.on('error', () => errors++);
  };
  const timer = setInterval(() => {
    const due = Math.floor(((performance.now() - t0) * rate) / 1000);
    for (; scheduled < due; scheduled++) fire(t0 + (scheduled * 1000) / rate);
  }, 1);
  return () => {
    clearInterval(timer);
    const seconds = (performance.now() - t0) / 1000;
    agent.destroy();
    const sorted = latencies.sort((a, b) => a - b);
    const at = (q: number) => (sorted.length === 0 ? NaN : Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! * 10) / 10);
    return { requestsPerSec: Math.round(sorted.length / seconds), rate, p50: at(0.5), p99: at(0.99), p999: at(0.999), max: at(1), errors, non2xx };
  };
}

process.on('message', (message: { start: Start } | 'stop' | 'exit') => {
  if (message === 'exit') process.exit(0);
  if (message === 'stop') {
    send(stopReading?.());
    stopReading = null;
  } else {
    stopReading = start(message.start);
    send('started');
  }
});
