import { describe, expect, it } from 'vitest';
import { INDICATOR_TONES, renderBadge, STATUS_TONES, textWidth } from '../../../src/server/badge.ts';

describe('renderBadge', () => {
  it('writes the label and status as text, with a text alternative', () => {
    const svg = renderBadge('Acme', 'All Systems Operational', 'good');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="\d+" height="20" role="img" aria-label="Acme: All Systems Operational">/);
    expect(svg).toContain('<title>Acme: All Systems Operational</title>');
    expect(svg).toContain('>All Systems Operational</text>');
    expect(svg).toContain('>Acme</text>');
  });

  it('escapes hostile names and drops control characters', () => {
    const svg = renderBadge('<script>alert("x")</script>\u0001', 'A & B', 'bad');
    expect(svg).not.toContain('<script');
    expect(svg).not.toContain('\u0001');
    expect(svg).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(svg).toContain('A &amp; B');
  });

  it('clips very long names and grows with its text', () => {
    const svg = renderBadge('x'.repeat(500), 'ok', 'good');
    expect(svg).toContain(`${'x'.repeat(39)}…`);
    expect(svg).not.toContain('x'.repeat(40));
    const width = (s: string) => Number(/width="(\d+)"/.exec(s)![1]);
    expect(width(renderBadge('A', 'Major outage', 'bad'))).toBeGreaterThan(width(renderBadge('A', 'ok', 'bad')));
    expect(textWidth('MW')).toBeGreaterThan(textWidth('il'));
  });

  it('has a tone for every indicator and status', () => {
    expect(Object.keys(INDICATOR_TONES).sort()).toEqual(['critical', 'maintenance', 'major', 'minor', 'none']);
    expect(STATUS_TONES.operational).toBe('good');
    expect(STATUS_TONES.major_outage).toBe('bad');
  });
});
