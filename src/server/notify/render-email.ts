// A subscriber's mail: plain text and HTML from the frozen content, the manage and one-click
// unsubscribe links (RFC 8058), and the threading headers that keep one incident in one thread.
import { escapeMarkup } from '../xml-text.ts';
import { subjectOf, type NotificationContent } from './content.ts';

export interface EmailMessage {
  subject: string;
  text: string;
  html: string;
  messageId: string;
  inReplyTo?: string;
  references?: string;
  headers: Record<string, string>;
}

export function mailDomainOf(siteUrl: string): string {
  try {
    return new URL(siteUrl).hostname || 'candor.invalid';
  } catch {
    return 'candor.invalid';
  }
}

export const manageUrl = (siteUrl: string, token: string) => `${siteUrl}/subscribe/manage?token=${encodeURIComponent(token)}`;
export const unsubscribeUrl = (siteUrl: string, token: string) => `${siteUrl}/subscribe/unsubscribe?token=${encodeURIComponent(token)}`;

/** The first message about an incident or window (opened / scheduled) starts the thread; the rest answer it. */
const STARTS_THREAD = new Set(['incident.opened', 'maintenance.scheduled']);

export function renderNotificationEmail(content: NotificationContent, key: string, subscriber: { publicId: string; manageToken: string }): EmailMessage {
  const domain = mailDomainOf(content.site.url);
  const root = `<${content.subject}.${content.threadId}.${subscriber.publicId}@${domain}>`;
  const starts = STARTS_THREAD.has(content.event);
  const manage = manageUrl(content.site.url, subscriber.manageToken);
  const unsubscribe = unsubscribeUrl(content.site.url, subscriber.manageToken);
  const components = content.components.map((c) => `${c.name}: ${c.label}`);

  const text = [
    `${content.headline}: ${content.title}`,
    '',
    content.bodyMd,
    '',
    ...content.facts,
    ...(components.length > 0 ? ['', 'Affected components, as they are now:', ...components.map((c) => `- ${c}`)] : []),
    '',
    `Details: ${content.url}`,
    '',
    '--',
    `You get this because you subscribed to ${content.site.name}.`,
    `Choose components or unsubscribe: ${manage}`,
  ].join('\n');

  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeMarkup(content.title)}</title></head>
<body style="font-family:system-ui,sans-serif;line-height:1.5;max-width:40em">
<h1 style="font-size:1.25em">${escapeMarkup(content.headline)}: ${escapeMarkup(content.title)}</h1>
<div>${content.bodyHtml}</div>
${content.facts.length > 0 ? `<ul>${content.facts.map((f) => `<li>${escapeMarkup(f)}</li>`).join('')}</ul>` : ''}
${components.length > 0 ? `<p>Affected components, as they are now:</p><ul>${components.map((c) => `<li>${escapeMarkup(c)}</li>`).join('')}</ul>` : ''}
<p><a href="${escapeMarkup(content.url)}">Read it on ${escapeMarkup(content.site.name)}</a></p>
<hr><p style="font-size:0.875em">You get this because you subscribed to ${escapeMarkup(content.site.name)}.
<a href="${escapeMarkup(manage)}">Choose components or unsubscribe</a>.</p>
</body></html>`;

  return {
    subject: subjectOf(content),
    text,
    html,
    messageId: starts ? root : `<${key}@${domain}>`,
    ...(starts ? {} : { inReplyTo: root, references: root }),
    headers: {
      'List-Unsubscribe': `<${unsubscribe}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'List-Id': `${content.site.name} <status.${domain}>`,
      'Auto-Submitted': 'auto-generated',
    },
  };
}

export interface ConfirmationPayload {
  to: string;
  siteName: string;
  siteUrl: string;
  confirmUrl: string;
  /** What is being confirmed: a mail subscription or a webhook's contact address; or (already subscribed) the manage link. */
  what: 'email' | 'webhook' | 'manage';
}

export function renderConfirmationEmail(p: ConfirmationPayload, key: string): EmailMessage {
  const domain = mailDomainOf(p.siteUrl);
  if (p.what === 'manage') {
    const text = [
      `Someone, hopefully you, asked to subscribe this address to ${p.siteName}. It is subscribed already.`,
      '',
      'To choose components or unsubscribe, open:',
      p.confirmUrl,
      '',
      'If it was not you, ignore this mail: nothing changes.',
    ].join('\n');
    const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>You are subscribed</title></head>
<body style="font-family:system-ui,sans-serif;line-height:1.5;max-width:40em">
<p>Someone, hopefully you, asked to subscribe this address to ${escapeMarkup(p.siteName)}. It is subscribed already.</p>
<p><a href="${escapeMarkup(p.confirmUrl)}">Choose components or unsubscribe</a>.</p>
<p>If it was not you, ignore this mail: nothing changes.</p>
</body></html>`;
    return { subject: `[${p.siteName}] Your subscription`, text, html, messageId: `<${key}@${domain}>`, headers: { 'Auto-Submitted': 'auto-generated' } };
  }
  const purpose = p.what === 'email' ? `get ${p.siteName} incident and maintenance notices by email` : `send ${p.siteName} notices to a webhook`;
  const text = [
    `Someone, hopefully you, asked to ${purpose}.`,
    '',
    `To confirm, open this link within 48 hours:`,
    p.confirmUrl,
    '',
    'If it was not you, ignore this mail: nothing more will be sent.',
  ].join('\n');
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Confirm your subscription</title></head>
<body style="font-family:system-ui,sans-serif;line-height:1.5;max-width:40em">
<p>Someone, hopefully you, asked to ${escapeMarkup(purpose)}.</p>
<p><a href="${escapeMarkup(p.confirmUrl)}">Confirm the subscription</a> (the link works for 48 hours).</p>
<p>If it was not you, ignore this mail: nothing more will be sent.</p>
</body></html>`;
  return { subject: `[${p.siteName}] Confirm your subscription`, text, html, messageId: `<${key}@${domain}>`, headers: { 'Auto-Submitted': 'auto-generated' } };
}
