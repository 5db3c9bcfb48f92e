// The items of a component's daily bars, as one HTML string. The home page of a large site draws
// hundreds of them (50 components × their 90 days); building them here instead of as Astro
// elements halves the render time of / (npm run bench). Everything inserted is escaped.
import { barRuns, NARROW_SCREEN_DAYS, type BarRun, type DayBar } from '../domain/daily-bars.ts';
import { COMPONENT_STATUS_LABELS } from '../domain/status.ts';
import { formatInstant } from '../domain/time-zone.ts';
import { formatPercent } from '../domain/format-number.ts';
import { escapeMarkup } from '../server/xml-text.ts';

// Narrow screens show the NARROW_SCREEN_DAYS most recent days: candor.css hides the older items.
// Short class names: hundreds of items on the home page add up.
const CLASS: Record<string, string> = {
  none: 'b-no',
  operational: 'b-ok',
  under_maintenance: 'b-mt',
  degraded_performance: 'b-dg',
  partial_outage: 'b-po',
  major_outage: 'b-mo',
};

// Short labels: "29 Aug: 96.42%, Partial outage". The list is named "last 90 days", so the day and
// month are unambiguous; an item with an incident is a link to it, and says so only when there
// are several.
export function barLabel(run: BarRun, tz: string): string {
  const bar = run.first;
  const from = formatInstant(bar.start, tz, 'day');
  const date = run.days === 1 ? from : `${from} – ${formatInstant(run.last.start, tz, 'day')}`;
  if (bar.worst === null) return `${date}: no data`;
  const incidents = bar.incidentIds.length;
  const parts = [
    bar.availability === null ? null : formatPercent(bar.availability),
    bar.worst === 'operational' ? null : COMPONENT_STATUS_LABELS[bar.worst],
    incidents > 1 ? `${incidents} incidents` : null,
  ];
  return `${date}: ${parts.filter(Boolean).join(', ')}`;
}

/**
 * One <li> per day, or per quiet stretch of --n days (drawn as that many bars); days older than
 * the recent window carry class "o". A day with an incident links to the first one.
 */
export function barItemsHtml(bars: readonly DayBar[], tz: string): string {
  // Joined once rather than appended to: one flat string, not a chain of hundreds of pieces that
  // lives until the page is written out.
  const items: string[] = [];
  for (const run of barRuns(bars, NARROW_SCREEN_DAYS)) {
    const cls = `${CLASS[run.first.worst ?? 'none']}${run.recent ? '' : ' o'}`;
    const style = run.days > 1 ? ` style="--n:${run.days}"` : '';
    const label = `<span>${escapeMarkup(barLabel(run, tz))}</span>`;
    const first = run.first.incidentIds[0];
    const inner = first ? `<a href="/incidents/${escapeMarkup(encodeURIComponent(first))}">${label}</a>` : label;
    items.push(`<li class="${cls}"${style}>${inner}</li>`);
  }
  return items.join('');
}
