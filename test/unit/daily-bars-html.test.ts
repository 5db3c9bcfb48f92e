import { describe, expect, it } from 'vitest';
import { barItemsHtml } from '../../src/components/daily-bars-html.ts';
import type { DayBar } from '../../src/domain/daily-bars.ts';

const DAY = 86_400_000;
const start = Date.UTC(2026, 7, 24);
const day = (i: number, worst: DayBar['worst'], incidentIds: string[] = [], availability: number | null = worst === null ? null : 1): DayBar => ({
  date: `d${i}`, start: start + i * DAY, end: start + (i + 1) * DAY, worst, availability, incidentIds,
});

describe('barItemsHtml', () => {
  it('draws quiet stretches as one item of --n days, and each incident day as its own linked item', () => {
    const bars = [...Array.from({ length: 58 }, (_, i) => day(i, 'operational')), day(58, 'partial_outage', ['abc123def456', 'zzz999yyy888'], 0.75), ...Array.from({ length: 31 }, (_, i) => day(59 + i, 'operational'))];
    const html = barItemsHtml(bars, 'UTC');
    expect(html).toBe(
      '<li class="b-ok o" style="--n:58"><span>24 Aug – 20 Oct: 100%</span></li>' +
        '<li class="b-po o"><a href="/incidents/abc123def456"><span>21 Oct: 75.00%, Partial outage, 2 incidents</span></a></li>' +
        // The quiet stretch after it is split where the phone's 14 recent days begin.
        '<li class="b-ok o" style="--n:17"><span>22 Oct – 7 Nov: 100%</span></li>' +
        '<li class="b-ok" style="--n:14"><span>8 Nov – 21 Nov: 100%</span></li>',
    );
  });

  it('escapes what it inserts', () => {
    const html = barItemsHtml([day(0, 'major_outage', ['"><script>alert(1)</script>'], 0.5)], 'UTC');
    expect(html).not.toContain('<script>');
    expect(html).toContain('href="/incidents/%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E"');
  });
});
