// Signed webhooks (Standard Webhooks): the Statuspage-shaped body plus Candor's fields, with a
// `webhook-id` that stays the same on every retry of one delivery so receivers can drop repeats.
import { Webhook } from 'standardwebhooks';
import { randomBytes } from 'node:crypto';
import { manageUrl } from '../render-email.ts';
import type { DeliveryJob } from '../outbox.ts';
import { DeliveryFailure, type Sender } from '../worker.ts';
import { acceptOrThrow, postJson } from './http-post.ts';

export const DOCUMENTATION_URL = 'https://www.standardwebhooks.com/';

export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

/** The body a webhook subscriber receives: `meta` is theirs, the rest is the frozen content. */
export function webhookBody(job: DeliveryJob, now: number): string {
  const content = job.content!;
  return JSON.stringify({
    meta: {
      unsubscribe: manageUrl(content.site.url, job.subscriber!.manageToken),
      documentation: `${content.site.url}/subscribe/webhook`,
      generated_at: new Date(now).toISOString(),
    },
    ...content.webhook,
  });
}

export function createWebhookSender(options: { allowPrivate: boolean }): Sender {
  return {
    async send(job, now) {
      if (!job.content || !job.subscriber?.url || !job.subscriber.secret) {
        throw new DeliveryFailure('The subscriber or the notification is gone.', { permanent: true });
      }
      const body = webhookBody(job, now);
      const id = `msg_${job.key}`;
      const timestamp = new Date(Math.floor(now / 1000) * 1000);
      const signature = new Webhook(job.subscriber.secret).sign(id, timestamp, body);
      const answer = await postJson(
        job.subscriber.url,
        body,
        { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(now / 1000)), 'webhook-signature': signature },
        options,
      );
      return acceptOrThrow(answer);
    },
  };
}
