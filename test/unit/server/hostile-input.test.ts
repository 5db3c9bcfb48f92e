// Issue 12, findings 7, 9, 11 and 12: input that used to crash or stall the server, spoofing text,
// calendar injection and the security headers, at the level of the functions that now refuse them.
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { stripInvisibleFormatting } from '../../../src/domain/display-text.ts';
import { renderBadge } from '../../../src/server/badge.ts';
import { buildMaintenanceCalendar } from '../../../src/server/maintenance-calendar.ts';
import { MARKDOWN_MAX_EMPHASIS_MARKS, MARKDOWN_MAX_NESTING, markdownNestingDepth, markdownProblem, renderMarkdown } from '../../../src/server/markdown.ts';
import { MAX_PAGE, readPageParam } from '../../../src/server/http/page-param.ts';
import { PUBLIC_CSP, securityHeadersFor, WORKSPACE_CSP } from '../../../src/server/http/security-headers.ts';
import { BadBody, jsonDepth, MAX_JSON_DEPTH, readJsonObject } from '../../../src/server/write-api/body.ts';
import type { Site } from '../../../src/server/site.ts';

describe('markdown limits (finding 7)', () => {
  const hostile = {
    quotes: '>'.repeat(10_000) + ' x',
    bullets: '- '.repeat(6_666) + 'x',
    emphasis: '_a_'.repeat(6_600),
  };

  it('names each hostile shape instead of handing it to marked', () => {
    expect(markdownProblem(hostile.quotes)).toMatch(/nested more than 16 levels/);
    expect(markdownProblem(hostile.bullets)).toMatch(/nested more than 16 levels/);
    expect(markdownProblem(hostile.emphasis)).toBe(`This text has 13,200 * and _ characters; the limit is ${MARKDOWN_MAX_EMPHASIS_MARKS}. Use less emphasis; nothing was saved.`);
  });

  it('still renders (as plain text) what it refuses, instead of overflowing the stack', () => {
    for (const source of Object.values(hostile)) expect(() => renderMarkdown(source)).not.toThrow();
    expect(renderMarkdown('<b>&\n\n' + '>'.repeat(50))).toBe(`<p>&#60;b&#62;&#38;</p>\n<p>${'&#62;'.repeat(50)}</p>`);
  });

  it('accepts the nesting and emphasis real updates use', () => {
    const real = ['We *think* the **fix** works.', '', '> Customer report:', '> - mail delayed', '>   - by `queue_wait`', '', '1. first', '   - nested', '     - deeper'].join('\n');
    expect(markdownProblem(real)).toBeNull();
    expect(markdownNestingDepth(real)).toBeLessThanOrEqual(4);
    expect(markdownNestingDepth('- '.repeat(MARKDOWN_MAX_NESTING) + 'x')).toBe(MARKDOWN_MAX_NESTING);
    expect(markdownProblem('- '.repeat(MARKDOWN_MAX_NESTING) + 'x')).toBeNull();
    expect(markdownProblem('- '.repeat(MARKDOWN_MAX_NESTING + 1) + 'x')).not.toBeNull();
    expect(renderMarkdown(real)).toContain('<em>think</em>');
  });

  it('counts nesting made by indentation as well as by markers', () => {
    const stairs = Array.from({ length: 40 }, (_, i) => `${'  '.repeat(i)}- level ${i}`).join('\n');
    expect(markdownNestingDepth(stairs)).toBeGreaterThan(MARKDOWN_MAX_NESTING);
  });
});

describe('JSON depth (finding 7)', () => {
  const post = (body: string) => new Request('http://x/api/admin/incidents', { method: 'POST', body, headers: { 'Content-Type': 'application/json' } });

  it('refuses a body nested 20,000 deep with a 400-class error before any recursion', async () => {
    const deep = '{"a":'.repeat(20_000) + '1' + '}'.repeat(20_000);
    await expect(readJsonObject(post(deep))).rejects.toBeInstanceOf(BadBody);
    await expect(readJsonObject(post(deep))).rejects.toThrow(/more than 16 levels/);
    const arrays = `{"periods":${'['.repeat(20_000)}${']'.repeat(20_000)}}`;
    await expect(readJsonObject(post(arrays))).rejects.toBeInstanceOf(BadBody);
  });

  it('measures depth exactly up to the limit', () => {
    expect(jsonDepth({})).toBe(1);
    expect(jsonDepth({ periods: [{ started_at: 'x' }] })).toBe(3);
    let value: unknown = 1;
    for (let i = 0; i < MAX_JSON_DEPTH; i++) value = { a: value };
    expect(jsonDepth(value)).toBe(MAX_JSON_DEPTH);
  });
});

describe('?page= (finding 7)', () => {
  const read = (query: string) => readPageParam(new URL(`http://x/history${query}`));

  it('takes plain whole numbers; a missing page is page 1', () => {
    expect(read('')).toEqual({ page: 1 });
    expect(read('?page=2')).toEqual({ page: 2 });
    expect(read(`?page=${MAX_PAGE}&component=api`)).toEqual({ page: MAX_PAGE });
  });

  it('redirects other spellings of a real page to the one canonical URL', () => {
    expect(read('?page=1')).toEqual({ redirect: '/history' });
    expect(read('?page=02&component=api')).toEqual({ redirect: '/history?component=api&page=2' });
    expect(read('?component=api&page=1')).toEqual({ redirect: '/history?component=api' });
  });

  it('refuses everything else with a message', () => {
    for (const bad of ['NaN', '-1', '2.5', '1e309', '99999999999999999999', '0', '', ' 2', `${MAX_PAGE + 1}`, '0x10']) {
      const result = read(`?page=${encodeURIComponent(bad)}`);
      expect(result, bad).toHaveProperty('problem');
      expect((result as { problem: string }).problem).toMatch(/is not a page number/);
    }
  });
});

describe('spoofing characters (finding 12)', () => {
  it('strips bidi overrides, isolates, marks and zero-width characters', () => {
    expect(stripInvisibleFormatting('Pay\u202Emoc.live\u202C')).toBe('Paymoc.live');
    expect(stripInvisibleFormatting('A\u200BP\u200CI\u2060\uFEFF \u2066x\u2069\u200E\u200F')).toBe('API x');
    expect(stripInvisibleFormatting('Ingest\u200D')).toBe('Ingest');
  });

  it('keeps letters of every script and emoji sequences joined by ZWJ', () => {
    expect(stripInvisibleFormatting('עברית العربية 日本語')).toBe('עברית العربية 日本語');
    expect(stripInvisibleFormatting('On call 👩\u200D💻')).toBe('On call 👩\u200D💻');
  });

  it('keeps them out of badges', () => {
    const svg = renderBadge('Pay\u202Eoc\u200B', 'Operational', 'good');
    expect(svg).toContain('>Payoc</text>');
    expect(svg).not.toMatch(/[\u200B\u202E]/);
  });
});

describe('iCalendar name (finding 11)', () => {
  const site: Site = {
    publicId: 's',
    name: 'Acme\r\nX-INJECTED:yes\nBEGIN:VEVENT;a,b\\',
    url: 'https://status.acme.test',
    timeZone: 'UTC',
    accentColor: '#2f5fd0',
    historyDays: 90,
    defaultSlaPolicyId: null,
    dataVersion: 1,
    updatedAt: 0,
  };

  it('escapes the site name so a line break cannot add calendar lines', () => {
    const text = buildMaintenanceCalendar(site, []);
    expect(text).not.toMatch(/^X-INJECTED/m);
    expect(text.match(/^BEGIN:VEVENT/gm)).toBeNull();
    const calendar = new ICAL.Component(ICAL.parse(text));
    expect(calendar.getFirstPropertyValue('x-injected')).toBeNull();
    // The escaped value as RFC 5545 writes TEXT (ical.js keeps NAME and X-WR-CALNAME as written).
    const unfolded = text.replace(/\r\n[ \t]/g, '');
    expect(unfolded).toContain('\r\nNAME:Acme X-INJECTED:yes BEGIN:VEVENT\\;a\\,b\\\\ Status - Scheduled Maintenance\r\n');
    expect(unfolded).toContain('X-WR-CALNAME:Acme X-INJECTED:yes BEGIN:VEVENT\\;a\\,b\\\\ Status - Scheduled Maintenance\r\n');
    expect(calendar.getAllSubcomponents('vevent')).toHaveLength(0);
  });
});

describe('security headers (finding 9)', () => {
  it('forbids scripts everywhere and framing of the workspace and sign-in', () => {
    const page = securityHeadersFor('/', null);
    expect(page['Content-Security-Policy']).toBe(PUBLIC_CSP);
    expect(PUBLIC_CSP).toContain("script-src 'none'");
    expect(PUBLIC_CSP).not.toContain('frame-ancestors');
    for (const path of ['/admin/sign-in', '/admin', '/api/admin/incidents']) {
      const headers = securityHeadersFor(path, null);
      expect(headers['Content-Security-Policy'], path).toBe(WORKSPACE_CSP);
      expect(WORKSPACE_CSP).toContain("frame-ancestors 'none'");
      expect(headers['X-Frame-Options']).toBe('DENY');
    }
    expect(page['X-Content-Type-Options']).toBe('nosniff');
    expect(page['Referrer-Policy']).toBe('strict-origin-when-cross-origin');
    expect(page['Permissions-Policy']).toContain('camera=()');
  });

  it('sends HSTS only when the public URL is https', () => {
    expect(securityHeadersFor('/', 'https://status.acme.test')['Strict-Transport-Security']).toBe('max-age=31536000');
    expect(securityHeadersFor('/', 'http://localhost:4321')).not.toHaveProperty('Strict-Transport-Security');
    expect(securityHeadersFor('/', null)).not.toHaveProperty('Strict-Transport-Security');
  });
});
