import { describe, expect, it } from 'vitest';
import {
  renderBody,
  formatFeedMoment,
  formatFeedRange,
  labelUpdates,
  renderPostmortemParagraph,
  renderScheduledLine,
  renderUpdateParagraphs,
  type FeedUpdate,
} from '../../../src/server/feeds/feed-body.ts';
import { INCIDENT_STATUS_LABELS, MAINTENANCE_STATUS_LABELS } from '../../../src/domain/status.ts';

const AMS = 'Europe/Amsterdam';
const at = (iso: string) => Date.parse(iso);
const v = (name: 'date' | 'time', value: string) => `<var data-var='${name}'>${value}</var>`;

describe('formatFeedMoment', () => {
  it.each([
    ['2026-10-04T12:05:00Z', AMS, `Oct ${v('date', '4')}, ${v('time', '14:05')} CEST`],
    ['2026-12-24T23:59:00Z', AMS, `Dec ${v('date', '25')}, ${v('time', '00:59')} CET`],
    ['2026-09-09T07:00:00Z', 'UTC', `Sep ${v('date', '9')}, ${v('time', '07:00')} UTC`],
    ['2026-07-01T16:30:00Z', 'America/New_York', `Jul ${v('date', '1')}, ${v('time', '12:30')} EDT`],
  ])('%s in %s', (instant, tz, expected) => {
    expect(formatFeedMoment(at(instant), tz)).toBe(expected);
  });
});

describe('formatFeedRange', () => {
  it('writes the date once for a window within one day', () => {
    expect(formatFeedRange(at('2026-12-05T00:00:00Z'), at('2026-12-05T03:00:00Z'), AMS)).toBe(
      `Dec ${v('date', '5')}, ${v('time', '01:00')} - ${v('time', '04:00')} CET`,
    );
  });

  it('writes both ends in full across midnight', () => {
    expect(formatFeedRange(at('2026-12-05T22:30:00Z'), at('2026-12-06T01:30:00Z'), 'UTC')).toBe(
      `Dec ${v('date', '5')}, ${v('time', '22:30')} UTC - Dec ${v('date', '6')}, ${v('time', '01:30')} UTC`,
    );
  });

  it('writes both zones when the clocks change inside the window', () => {
    expect(formatFeedRange(at('2026-10-25T00:30:00Z'), at('2026-10-25T02:30:00Z'), AMS)).toBe(
      `Oct ${v('date', '25')}, ${v('time', '02:30')} CEST - Oct ${v('date', '25')}, ${v('time', '03:30')} CET`,
    );
  });
});

const update = (status: string, kind: FeedUpdate['kind'] = 'update', bodyMd = `${status} ${kind}`): FeedUpdate => ({
  status,
  kind,
  bodyMd,
  displayAt: at('2026-10-04T12:05:00Z'),
});

describe('labelUpdates', () => {
  it('labels a status change with the status, notes with their kind, the rest "Update"', () => {
    const newestFirst = [
      update('resolved'),
      update('monitoring'),
      update('identified', 'correction'),
      update('identified'),
      update('identified', 'apology'),
      update('identified'),
      update('investigating'),
    ];
    expect(labelUpdates(newestFirst, INCIDENT_STATUS_LABELS)).toEqual([
      'Resolved',
      'Monitoring',
      'Correction',
      'Update',
      'Apology',
      'Identified',
      'Investigating',
    ]);
  });

  it('labels maintenance with its own words, and a single update with its status', () => {
    expect(labelUpdates([update('in_progress'), update('scheduled')], MAINTENANCE_STATUS_LABELS)).toEqual(['In progress', 'Scheduled']);
    expect(labelUpdates([update('resolved')], INCIDENT_STATUS_LABELS)).toEqual(['Resolved']);
    expect(labelUpdates([], INCIDENT_STATUS_LABELS)).toEqual([]);
  });
});

describe('rendered paragraphs', () => {
  it('follow the standard shape exactly, newest first', () => {
    const html = renderUpdateParagraphs(
      [
        { status: 'resolved', kind: 'update', bodyMd: 'All good.', displayAt: at('2026-10-04T14:00:00Z') },
        { status: 'investigating', kind: 'update', bodyMd: 'Looking.', displayAt: at('2026-10-04T12:05:00Z') },
      ],
      INCIDENT_STATUS_LABELS,
      AMS,
    );
    expect(html).toBe(
      `<p><small>Oct ${v('date', '4')}, ${v('time', '16:00')} CEST</small><br><strong>Resolved</strong> - All good.</p>` +
        `<p><small>Oct ${v('date', '4')}, ${v('time', '14:05')} CEST</small><br><strong>Investigating</strong> - Looking.</p>`,
    );
  });

  it('keeps the kind of a note whose status changed, after the status label', () => {
    const html = renderUpdateParagraphs([update('identified', 'apology', 'Sorry.'), update('investigating')], INCIDENT_STATUS_LABELS, 'UTC');
    expect(html).toContain('<strong>Identified</strong> - Apology: Sorry.</p>');
  });

  it('renders bodies as sanitised HTML, their line breaks kept, script and XML-illegal characters gone', () => {
    expect(renderBody('  <script>alert(1)</script>\n]]> & "x"\u0007\r\n**not lost**  ')).toEqual({
      inline: ']]&gt; &amp; "x"<br /><strong>not lost</strong>',
      blocks: '',
    });
  });

  it('keeps the first paragraph in the standard shape and puts further blocks after it', () => {
    const html = renderUpdateParagraphs([update('monitoring', 'update', 'Queues *draining*.\n\n- SMTP relay\n- Inbound')], INCIDENT_STATUS_LABELS, 'UTC');
    expect(html).toMatch(/<strong>Monitoring<\/strong> - Queues <em>draining<\/em>\.<\/p><ul>\s*<li>SMTP relay<\/li>\s*<li>Inbound<\/li>\s*<\/ul>$/);
  });

  it('labels the post-mortem and the scheduled-event line', () => {
    expect(renderPostmortemParagraph({ bodyMd: '## What <b>happened</b>', publishedAt: at('2026-10-04T12:05:00Z') }, 'UTC')).toBe(
      `<p><small>Oct ${v('date', '4')}, ${v('time', '12:05')} UTC</small><br><strong>Postmortem</strong> - </p><h3>What happened</h3>`,
    );
    expect(renderScheduledLine(at('2026-12-05T00:00:00Z'), at('2026-12-05T03:00:00Z'), 'UTC')).toBe(
      `<p><strong>THIS IS A SCHEDULED EVENT Dec ${v('date', '5')}, ${v('time', '00:00')} - ${v('time', '03:00')} UTC</strong></p>`,
    );
  });
});
