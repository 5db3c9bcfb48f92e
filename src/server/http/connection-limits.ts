// Connection hygiene for the front server, against slow and greedy clients (slowloris): headers
// must arrive within seconds, a whole request (body included) within tens of seconds, and no one
// address may hold more than a share of the connections, so readers keep getting `/` while one
// host holds thousands of sockets. Node's defaults (no cap, 60 s headers, 300 s request, checked
// every 30 s) let one host take the page down for minutes.
import type http from 'node:http';
import type net from 'node:net';
import type { ConnectionLimits } from '../../config.ts';

export interface ConnectionStats {
  open: number;
  refused: number;
}

/**
 * Applies the limits to a server before it listens. Connections over a cap are closed as soon as
 * they are accepted: cheaper for the server than any answer, and the address that is over its
 * share is the one that waits.
 */
export function limitConnections(server: http.Server, limits: ConnectionLimits): ConnectionStats {
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  // How often Node checks those two timeouts (30 s by default): often enough that they mean what
  // they say. Read when the server starts listening.
  (server as http.Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = Math.min(1000, limits.headersTimeoutMs);
  const stats: ConnectionStats = { open: 0, refused: 0 };
  const perAddress = new Map<string, number>();
  server.on('connection', (socket: net.Socket) => {
    const address = socket.remoteAddress ?? '';
    const fromAddress = perAddress.get(address) ?? 0;
    if (stats.open >= limits.maxTotal || (limits.maxPerAddress !== null && fromAddress >= limits.maxPerAddress)) {
      stats.refused++;
      socket.destroy();
      return;
    }
    stats.open++;
    perAddress.set(address, fromAddress + 1);
    socket.once('close', () => {
      stats.open--;
      const left = (perAddress.get(address) ?? 1) - 1;
      if (left === 0) perAddress.delete(address);
      else perAddress.set(address, left);
    });
  });
  return stats;
}
