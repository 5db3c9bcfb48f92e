// One render worker of RenderPool: loads the built Astro handler, then renders each URL it is sent
// as an anonymous GET and posts the bytes back (transferred, not copied), with their brotli variant
// when the page is worth compressing: made here, right after the render, the entry reaches the
// cache complete, so after a write no reader of the new page waits for it, and the thread that
// answers readers does none of the compression's work.
import { parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { renderThrough, type NodeHandler } from './front-server.ts';
import { compressBrotliNow, worthCompressing } from './rendered-cache.ts';
import type { RenderReply } from './render-pool.ts';

const port = parentPort!;
const { handler } = (await import(pathToFileURL((workerData as { entry: string }).entry).href)) as { handler: NodeHandler };
port.on('message', (url: string) => {
  renderThrough(handler, url).then(
    (rendered) => {
      const body = new Uint8Array(rendered.body.byteLength);
      body.set(rendered.body);
      const packed = worthCompressing(rendered) ? compressBrotliNow(rendered.body) : undefined;
      const br = packed ? new Uint8Array(packed.buffer, packed.byteOffset, packed.byteLength).slice() : packed;
      const reply: RenderReply = { ok: true, status: rendered.status, headers: rendered.headers, body, br };
      port.postMessage(reply, br ? [body.buffer, br.buffer] : [body.buffer]);
    },
    (error: unknown) => port.postMessage({ ok: false, message: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies RenderReply),
  );
});
port.postMessage('ready');
