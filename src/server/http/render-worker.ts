// One render worker of RenderPool: loads the built Astro handler, then renders each URL it is sent
// as an anonymous GET and posts the bytes back (transferred, not copied).
import { parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { renderThrough, type NodeHandler } from './front-server.ts';
import type { RenderReply } from './render-pool.ts';

const port = parentPort!;
const { handler } = (await import(pathToFileURL((workerData as { entry: string }).entry).href)) as { handler: NodeHandler };
port.on('message', (url: string) => {
  renderThrough(handler, url).then(
    (rendered) => {
      const body = new Uint8Array(rendered.body.byteLength);
      body.set(rendered.body);
      const reply: RenderReply = { ok: true, status: rendered.status, headers: rendered.headers, body };
      port.postMessage(reply, [body.buffer]);
    },
    (error: unknown) => port.postMessage({ ok: false, message: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies RenderReply),
  );
});
port.postMessage('ready');
