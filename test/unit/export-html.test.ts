// Reading and rewriting the links of a page for the static tree (scripts/export/html.ts).
import { describe, expect, it } from 'vitest';
import { analysePage, cssUrls, decodeEntities, formSubmissionUrl, pageUrls, rewritePage, tokenize } from '../../scripts/export/html.ts';

const page = (main: string) =>
  `<!DOCTYPE html><html lang="en"><head><link rel="stylesheet" href="/candor.css"><style>a[href="/x"]{}</style></head>` +
  `<body><a class="skip" href="#main">Skip</a><main id="main" class="wrap">${main}</main></body></html>`;

describe('tokenize', () => {
  it('reads quoted, unquoted and valueless attributes with their exact spans', () => {
    const html = `<a href="/a?x=1&amp;y=2" data-x='q"' hidden title=plain>t</a>`;
    const start = tokenize(html)[0]!;
    expect(start.type).toBe('start');
    if (start.type !== 'start') return;
    const byName = Object.fromEntries(start.attributes.map((a) => [a.name, a]));
    expect(byName.href!.value).toBe('/a?x=1&y=2');
    expect(html.slice(byName.href!.valueStart, byName.href!.valueEnd)).toBe('/a?x=1&amp;y=2');
    expect(byName['data-x']!.value).toBe('q"');
    expect(byName.hidden!.hasValue).toBe(false);
    expect(byName.title!.value).toBe('plain');
    expect(byName.title!.quoted).toBe(false);
  });

  it('does not look for tags in comments, scripts or styles', () => {
    const html = `<!-- <a href="/c"> --><script>let s = '<a href="/s">';</script><style>a[href="/x"]{}</style><a href="/real">r</a>`;
    expect(analysePage(html).links.map((l) => l.url)).toEqual(['/real']);
  });
});

describe('decodeEntities', () => {
  it('decodes the references found in attributes', () => {
    expect(decodeEntities('a&amp;b&#39;c&#x2F;&quot;&lt;&unknown;')).toBe(`a&b'c/"<&unknown;`);
  });
});

describe('analysePage', () => {
  it('finds href, src and srcset URLs and where the notice goes', () => {
    const html = page(`<img src="/a.png" srcset="/a-1x.png 1x, /a-2x.png 2x"><a href="/incidents/x#u1">i</a>`);
    const analysis = analysePage(html);
    expect(analysis.links.map((l) => l.url)).toEqual(['/candor.css', '#main', '/a.png', '/a-1x.png', '/a-2x.png', '/incidents/x#u1']);
    expect(html.slice(0, analysis.noticeAt!).endsWith('<main id="main" class="wrap">')).toBe(true);
  });

  it('falls back to <body> for the notice', () => {
    const html = '<html><body class="x"><p>hi</p></body></html>';
    expect(html.slice(0, analysePage(html).noticeAt!)).toBe('<html><body class="x">');
  });

  it('turns a one-select GET form into one URL per option, as a browser would submit it', () => {
    const html = page(
      `<form class="filter" method="get" action="/history"><input type="hidden" name="view" value="list">` +
        `<label>Component<select name="component"><option value="">All components</option>` +
        `<option value="send-api" selected>Send API</option><option value="a&amp;b">A &amp; B</option></select></label>` +
        `<button type="submit">Show</button></form>`,
    );
    const [form] = analysePage(html).forms;
    expect(form!.filter).toEqual({
      labelHtml: 'Component',
      options: [
        { url: '/history?view=list', labelHtml: 'All components', selected: false },
        { url: '/history?view=list&component=send-api', labelHtml: 'Send API', selected: true },
        { url: '/history?view=list&component=a%26b', labelHtml: 'A &amp; B', selected: false },
      ],
    });
    expect(pageUrls(analysePage(html))).toContain('/history?view=list&component=send-api');
  });

  it('cannot turn a form with free text into links', () => {
    const html = page(`<form method="get" action="/search"><input name="q"><button>Go</button></form>`);
    expect(analysePage(html).forms[0]!.filter).toBeNull();
  });

  it('leaves POST forms alone', () => {
    expect(analysePage(page(`<form method="post" action="/subscribe"><button>Go</button></form>`)).forms).toEqual([]);
  });
});

describe('formSubmissionUrl', () => {
  it('replaces the action’s query with the fields and leaves out empty ones', () => {
    expect(formSubmissionUrl('/uptime?old=1#x', [['month', '2026-10']])).toBe('/uptime?month=2026-10');
    expect(formSubmissionUrl('/history', [['component', '']])).toBe('/history');
  });
});

describe('rewritePage', () => {
  const link = (url: string) => (url.startsWith('#') ? null : `mapped:${url}`);

  it('changes the link values and nothing else', () => {
    const html = page(`<p>Text with "quotes" &amp; <a href='/b'>b</a> <a href=/c>c</a> <img srcset="/a 1x, /b 2x"></p>`);
    const out = rewritePage(html, analysePage(html), { link, noticeHtml: null });
    expect(out).toBe(
      html
        .replace('href="/candor.css"', 'href="mapped:/candor.css"')
        .replace(`href='/b'`, `href='mapped:/b'`)
        .replace('href=/c', 'href="mapped:/c"')
        .replace('srcset="/a 1x, /b 2x"', 'srcset="mapped:/a 1x, mapped:/b 2x"'),
    );
    expect(out).toContain('a[href="/x"]{}'); // the stylesheet text is not a link
  });

  it('escapes the new value', () => {
    const html = '<a href="/x">x</a>';
    expect(rewritePage(html, analysePage(html), { link: () => '/a?b=1&c="2"', noticeHtml: null })).toBe('<a href="/a?b=1&amp;c=&quot;2&quot;">x</a>');
  });

  it('inserts the notice inside <main>', () => {
    const html = page('<h1>Status</h1>');
    const out = rewritePage(html, analysePage(html), { link: () => null, noticeHtml: '<p class="static-copy">Static copy</p>' });
    expect(out).toContain('<main id="main" class="wrap"><p class="static-copy">Static copy</p><h1>Status</h1>');
  });

  it('replaces a filter form with links, the chosen option marked', () => {
    const html = page(
      `<form class="filter" method="get" action="/uptime"><label>Month<select name="month"><option value="2026-10">October 2026</option>` +
        `<option value="2026-11" selected>November 2026</option></select></label><button type="submit">Show</button></form><p>after</p>`,
    );
    const out = rewritePage(html, analysePage(html), { link, noticeHtml: null });
    expect(out).not.toContain('<form');
    expect(out).toContain(
      '<details class="static-filter"><summary>Month: November 2026</summary><ul>' +
        '<li><a href="mapped:/uptime?month=2026-10">October 2026</a></li>' +
        '<li><a href="mapped:/uptime?month=2026-11" aria-current="page">November 2026</a></li></ul></details><p>after</p>',
    );
  });

  it('replaces a form it cannot express as links with a note', () => {
    const html = page(`<form method="get" action="/search"><input name="q"><a href="/help">help</a></form>`);
    const out = rewritePage(html, analysePage(html), { link, noticeHtml: null });
    expect(out).toContain('<p class="filter static-note">Filtering needs the live status page');
    expect(out).not.toContain('/help');
  });
});

describe('cssUrls', () => {
  it('finds url() and @import references, not data URIs', () => {
    expect(cssUrls(`@import "/base.css"; a{background:url(/i.png)} b{src:url('/f.woff2')} c{x:url("data:image/png;base64,xx")}`)).toEqual([
      '/i.png',
      '/f.woff2',
      '/base.css',
    ]);
  });
});
