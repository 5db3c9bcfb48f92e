// Chat messages in each product's own incoming-webhook format (COMPATIBILITY.md), from the frozen
// content: headline and title, the text, the components' levels, the durations, a link.
import type { NotificationContent } from './content.ts';

const DISCORD_DESCRIPTION_MAX = 4096;
const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/** Slack mrkdwn treats &, < and > as control characters. */
const slackEscape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function renderSlack(c: NotificationContent): unknown {
  const title = `${c.headline}: ${c.title}`;
  const components = c.components.map((x) => `• ${slackEscape(x.name)}: ${slackEscape(x.label)}`);
  const text = [`*${slackEscape(title)}*`, slackEscape(c.bodyMd), ...c.facts.map(slackEscape), ...components, `<${c.url}|Open on ${slackEscape(c.site.name)}>`]
    .filter((line) => line !== '')
    .join('\n');
  return {
    text: `${c.site.name}: ${title}`,
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: clip(text, 3000) } }],
  };
}

export function renderTeams(c: NotificationContent): unknown {
  const body: unknown[] = [
    { type: 'TextBlock', text: `${c.headline}: ${c.title}`, weight: 'Bolder', size: 'Medium', wrap: true },
    { type: 'TextBlock', text: c.bodyMd, wrap: true },
    ...c.facts.map((f) => ({ type: 'TextBlock', text: f, wrap: true, isSubtle: true })),
  ];
  if (c.components.length > 0) body.push({ type: 'FactSet', facts: c.components.map((x) => ({ title: x.name, value: x.label })) });
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        content: {
          type: 'AdaptiveCard',
          version: '1.4',
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          body,
          actions: [{ type: 'Action.OpenUrl', title: `Open on ${c.site.name}`, url: c.url }],
        },
      },
    ],
  };
}

/** Red while customers are affected, amber for maintenance, green once it is over. */
function discordColour(c: NotificationContent): number {
  if (/resolved|restored|completed|postmortem/.test(c.event)) return 0x2e7d32;
  if (c.subject === 'maintenance') return 0xb26a00;
  return 0xc62828;
}

export function renderDiscord(c: NotificationContent): unknown {
  return {
    content: `${c.site.name}: ${c.headline}`,
    embeds: [
      {
        title: clip(c.title, 256),
        url: c.url,
        description: clip([c.bodyMd, '', ...c.facts].join('\n'), DISCORD_DESCRIPTION_MAX),
        color: discordColour(c),
        fields: c.components.slice(0, 25).map((x) => ({ name: clip(x.name, 256), value: x.label, inline: true })),
        timestamp: new Date(c.at).toISOString(),
      },
    ],
    allowed_mentions: { parse: [] },
  };
}
