// Slack, Microsoft Teams and Discord incoming webhooks: the same safe POST as signed webhooks.
import type { NotificationContent } from '../content.ts';
import { renderDiscord, renderSlack, renderTeams } from '../render-chat.ts';
import { DeliveryFailure, type Sender } from '../worker.ts';
import { acceptOrThrow, postJson } from './http-post.ts';

const RENDERERS: Record<'slack' | 'teams' | 'discord', (c: NotificationContent) => unknown> = {
  slack: renderSlack,
  teams: renderTeams,
  discord: renderDiscord,
};

export function createChatSender(product: keyof typeof RENDERERS, options: { allowPrivate: boolean }): Sender {
  return {
    async send(job) {
      if (!job.content || !job.subscriber?.url) throw new DeliveryFailure('The destination or the notification is gone.', { permanent: true });
      return acceptOrThrow(await postJson(job.subscriber.url, JSON.stringify(RENDERERS[product](job.content)), {}, options));
    },
  };
}
