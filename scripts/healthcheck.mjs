// The container's HEALTHCHECK: exit 0 when Candor's /healthz answers 200 within 4 s, else 1.
// Plain Node, no curl or wget in the image. Asks on loopback at PORT (default 4321).
const port = process.env.PORT ?? '4321';
try {
  const response = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(4000) });
  await response.body?.cancel();
  process.exit(response.status === 200 ? 0 : 1);
} catch {
  process.exit(1);
}
