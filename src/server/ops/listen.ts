// Listening: one plain line for the usual ways it fails, and the separate metrics port.
import http from 'node:http';
import type { Observer } from './observer.ts';

export interface ListenTarget {
  host: string;
  port: number;
  /** The variables that set host and port, named in the advice. */
  variables: [host: string, port: string];
}

/** What went wrong when listening, in one line an operator can act on. */
export function listenProblem(error: unknown, target: ListenTarget): string {
  const { host, port, variables: [hostVariable, portVariable] } = target;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'EADDRINUSE':
      return `port ${port} on ${host} is already in use by another program. Stop it, or set ${portVariable} to a free port.`;
    case 'EACCES':
      return `not allowed to listen on port ${port} (ports below 1024 need privileges). Set ${portVariable} to 1024 or above and forward to it.`;
    case 'EADDRNOTAVAIL':
      return `${hostVariable}=${host} is not an address of this machine. Use one it has (127.0.0.1, 0.0.0.0 for all, ::).`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
      return `${hostVariable}=${host} is not a known host name or address. Use an address of this machine (127.0.0.1, 0.0.0.0 for all, ::).`;
    case 'ERR_SOCKET_BAD_PORT':
      return `${portVariable} must be a port number from 0 to 65535, got "${port}".`;
    default:
      return `cannot listen on ${host}:${port}: ${(error as Error)?.message ?? String(error)}`;
  }
}

/** A server that answers GET /metrics with the exposition, and 404 to everything else. */
export function serveMetrics(metrics: Observer['metrics']): http.Server {
  return http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0];
    const exposed = path === '/metrics' && (req.method === 'GET' || req.method === 'HEAD') ? metrics() : null;
    if (!exposed) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found: metrics are at /metrics\n');
      return;
    }
    exposed.then(
      ({ contentType, body }) => res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' }).end(req.method === 'HEAD' ? undefined : body),
      () => res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('Could not collect the metrics\n'),
    );
  });
}
