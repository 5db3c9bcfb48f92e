// The senders a running Candor has: email only when an SMTP server is configured.
import type { Config } from '../../../config.ts';
import { createPurgeSender } from '../../ops/purge-sender.ts';
import { PURGE_KIND } from '../sender-kinds.ts';
import type { Sender } from '../worker.ts';
import { createChatSender } from './chat.ts';
import { createEmailSender } from './email.ts';
import { createWebhookSender } from './webhook.ts';

type SenderConfig = Pick<Config, 'smtpUrl' | 'mailFrom' | 'webhookAllowPrivate'> & { purge?: Config['purge'] };

export function createSenders(config: SenderConfig, concurrency: number): Record<string, Sender> {
  const web = { allowPrivate: config.webhookAllowPrivate };
  const senders: Record<string, Sender> = {
    webhook: createWebhookSender(web),
    slack: createChatSender('slack', web),
    teams: createChatSender('teams', web),
    discord: createChatSender('discord', web),
  };
  if (config.smtpUrl) {
    const email = createEmailSender({ smtpUrl: config.smtpUrl, from: config.mailFrom, maxConnections: concurrency });
    senders.email = email;
    senders.confirmation = email;
  }
  if (config.purge) senders[PURGE_KIND] = createPurgeSender(config.purge);
  return senders;
}
