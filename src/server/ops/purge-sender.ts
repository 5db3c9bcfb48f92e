// Sends a 'purge' delivery: POST {"files": [...]} to CANDOR_PURGE_URL, with CANDOR_PURGE_AUTHORIZATION
// as the Authorization header when set. The operator chose the URL, so private addresses are allowed
// (a relay on the same network). 2xx is done; anything else is retried by the worker.
import type { DeliveryJob } from '../notify/outbox.ts';
import { acceptOrThrow, postJson } from '../notify/senders/http-post.ts';
import type { Sender } from '../notify/worker.ts';

export function createPurgeSender(purge: { url: string; authorization: string | null }): Sender {
  return {
    async send(job: DeliveryJob): Promise<string> {
      const headers: Record<string, string> = purge.authorization ? { Authorization: purge.authorization } : {};
      return acceptOrThrow(await postJson(purge.url, JSON.stringify(job.payload), headers, { allowPrivate: true }));
    },
  };
}
