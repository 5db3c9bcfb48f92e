// The kinds of delivery a configuration can send, without loading the senders: the server's main
// thread asks whether any of them is due before it starts the delivery process, and createSenders
// (senders/index.ts) makes one sender for each.
import type { Config } from '../../config.ts';

/** The outbox kind of a CDN purge (src/server/ops/purge.ts). */
export const PURGE_KIND = 'purge';

export function senderKinds(config: Pick<Config, 'smtpUrl'> & { purge?: Config['purge'] }): string[] {
  return ['webhook', 'slack', 'teams', 'discord', ...(config.smtpUrl ? ['email', 'confirmation'] : []), ...(config.purge ? [PURGE_KIND] : [])];
}
