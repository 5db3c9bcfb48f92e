// The container's HEALTHCHECK: exit 0 when Candor's /healthz answers 200 within 4 s, else 1.
// Plain Node, no curl or wget in the image. Asks on loopback at the server's PORT, read (like every
// setting) by src/config.ts; Node 24 runs that TypeScript file as it is.
import { getConfig } from '../src/config.ts';

try {
  const response = await fetch(`http://127.0.0.1:${getConfig().port}/healthz`, { signal: AbortSignal.timeout(4000) });
  await response.body?.cancel();
  process.exit(response.status === 200 ? 0 : 1);
} catch {
  process.exit(1);
}
