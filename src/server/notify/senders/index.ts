// The senders a running Candor has, one per kind senderKinds lists for its configuration (email only
// when an SMTP server is configured, purges only with a purge URL).
import type { Config } from '../../../config.ts';
import { createPurgeSender } from '../../ops/purge-sender.ts';
import { PURGE_KIND, senderKinds } from '../sender-kinds.ts';
import type { Sender } from '../worker.ts';
import { createChatSender } from './chat.ts';
import { createEmailSender } from './email.ts';
import { createWebhookSender } from './webhook.ts';

type SenderConfig = Pick<Config, 'smtpUrl' | 'mailFrom' | 'webhookAllowPrivate'> & { purge?: Config['purge'] };

export function createSenders(config: SenderConfig, concurrency: number): Record<string, Sender> {
  const web = { allowPrivate: config.webhookAllowPrivate };
  // Confirmations and notices share one pool of SMTP connections.
  let email: Sender | undefined;
  const create = (kind: string): Sender => {
    if (kind === 'email' || kind === 'confirmation') return (email ??= createEmailSender({ smtpUrl: config.smtpUrl!, from: config.mailFrom, maxConnections: concurrency }));
    if (kind === PURGE_KIND) return createPurgeSender(config.purge!);
    if (kind === 'webhook') return createWebhookSender(web);
    return createChatSender(kind as Parameters<typeof createChatSender>[0], web);
  };
  return Object.fromEntries(senderKinds(config).map((kind) => [kind, create(kind)]));
}
