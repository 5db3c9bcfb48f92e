// Reads the links of a rendered page and rewrites them for the static tree. Pure functions.
//
// A small HTML tokenizer (comments, raw-text elements, quoted and unquoted attributes) gives the
// exact source span of every URL attribute, so a rewrite changes those spans and nothing else: the
// exported page is the served page byte for byte apart from its links, the converted filter forms
// and the static-copy notice.
import { escapeMarkup } from '../../src/server/xml-text.ts';

export interface Attribute {
  /** Lower-cased name. */
  name: string;
  /** Decoded value ('' when the attribute has none). */
  value: string;
  /** Source span of the raw value, without quotes; start === end for an empty or missing value. */
  valueStart: number;
  valueEnd: number;
  quoted: boolean;
  hasValue: boolean;
}

export type Token =
  | { type: 'start'; name: string; start: number; end: number; attributes: Attribute[] }
  | { type: 'end'; name: string; start: number; end: number }
  | { type: 'text'; start: number; end: number; raw: string };

const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'noscript']);

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Decodes the character references that appear in attribute values and text. */
export function decodeEntities(raw: string): string {
  return raw.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[ref.toLowerCase()] ?? whole;
  });
}

export function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}


export function tokenize(html: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = html.length;
  const pushText = (start: number, end: number) => {
    if (end > start) tokens.push({ type: 'text', start, end, raw: html.slice(start, end) });
  };
  while (i < n) {
    const lt = html.indexOf('<', i);
    if (lt === -1) {
      pushText(i, n);
      break;
    }
    pushText(i, lt);
    if (html.startsWith('<!--', lt)) {
      const close = html.indexOf('-->', lt + 4);
      i = close === -1 ? n : close + 3;
      continue;
    }
    if (html[lt + 1] === '!' || html[lt + 1] === '?') {
      const close = html.indexOf('>', lt);
      i = close === -1 ? n : close + 1;
      continue;
    }
    if (html[lt + 1] === '/' && /[a-z]/i.test(html[lt + 2] ?? '')) {
      const close = html.indexOf('>', lt);
      const end = close === -1 ? n : close + 1;
      const name = /^<\/([^\s/>]+)/.exec(html.slice(lt, end))![1]!.toLowerCase();
      tokens.push({ type: 'end', name, start: lt, end });
      i = end;
      continue;
    }
    if (!/[a-z]/i.test(html[lt + 1] ?? '')) {
      pushText(lt, lt + 1);
      i = lt + 1;
      continue;
    }
    // A start tag: name, then attributes.
    let j = lt + 1;
    while (j < n && !/[\s/>]/.test(html[j]!)) j++;
    const name = html.slice(lt + 1, j).toLowerCase();
    const attributes: Attribute[] = [];
    for (;;) {
      while (j < n && /[\s/]/.test(html[j]!)) j++;
      if (j >= n || html[j] === '>') break;
      const nameStart = j;
      j++; // the first character may be '='
      while (j < n && !/[\s/>=]/.test(html[j]!)) j++;
      const attributeName = html.slice(nameStart, j).toLowerCase();
      let k = j;
      while (k < n && /\s/.test(html[k]!)) k++;
      if (html[k] !== '=') {
        attributes.push({ name: attributeName, value: '', valueStart: j, valueEnd: j, quoted: false, hasValue: false });
        continue;
      }
      k++;
      while (k < n && /\s/.test(html[k]!)) k++;
      const quote = html[k];
      if (quote === '"' || quote === "'") {
        const close = html.indexOf(quote, k + 1);
        const valueEnd = close === -1 ? n : close;
        attributes.push({
          name: attributeName,
          value: decodeEntities(html.slice(k + 1, valueEnd)),
          valueStart: k + 1,
          valueEnd,
          quoted: true,
          hasValue: true,
        });
        j = valueEnd + 1;
      } else {
        let valueEnd = k;
        while (valueEnd < n && !/[\s>]/.test(html[valueEnd]!)) valueEnd++;
        attributes.push({
          name: attributeName,
          value: decodeEntities(html.slice(k, valueEnd)),
          valueStart: k,
          valueEnd,
          quoted: false,
          hasValue: true,
        });
        j = valueEnd;
      }
    }
    const end = Math.min(n, j + 1);
    tokens.push({ type: 'start', name, start: lt, end, attributes });
    i = end;
    if (RAW_TEXT.has(name)) {
      const closeMatch = new RegExp(`</${name}[\\s/>]`, 'i').exec(html.slice(end));
      const close = closeMatch ? end + closeMatch.index : n;
      pushText(end, close);
      i = close;
    }
  }
  return tokens;
}

/** Attributes whose value is one URL. (`srcset` holds several; `action` belongs to forms, below.) */
const URL_ATTRIBUTES = new Set(['href', 'src', 'xlink:href', 'poster', 'cite', 'data']);

export interface LinkRef {
  tag: string;
  attribute: string;
  /** The decoded URL as written in the page. */
  url: string;
  valueStart: number;
  valueEnd: number;
  quoted: boolean;
  /** For srcset: the span holds several URLs; `url` is one of them and `srcsetIndex` its position. */
  srcsetIndex?: number;
}

export interface FilterOption {
  /** The URL the browser would request when this option is submitted. */
  url: string;
  /** The option's text as HTML (already escaped in the source). */
  labelHtml: string;
  selected: boolean;
}

export interface GetForm {
  start: number;
  end: number;
  /**
   * A form whose only choice is one `<select>` (plus hidden fields and buttons) becomes a list of
   * links, one per option; any other GET form cannot work without a server and is replaced by a
   * short note.
   */
  filter: { labelHtml: string; options: FilterOption[] } | null;
}

export interface PageAnalysis {
  links: LinkRef[];
  forms: GetForm[];
  /** Where a notice goes: just inside <main>, else just inside <body>; null when neither exists. */
  noticeAt: number | null;
}

function attribute(token: { attributes: Attribute[] }, name: string): Attribute | undefined {
  return token.attributes.find((a) => a.name === name);
}

function parseSrcset(value: string): string[] {
  return value
    .split(',')
    .map((candidate) => candidate.trim().split(/\s+/)[0] ?? '')
    .filter((url) => url !== '');
}

/**
 * The submission URL of a GET form for the given fields, as a browser builds it: the action with its
 * query replaced by the fields. Empty values are left out: Candor reads an empty filter as no filter,
 * and the link then names the same page as the unfiltered one.
 */
export function formSubmissionUrl(action: string, fields: [string, string][]): string {
  const base = action.split('#')[0]!.split('?')[0]!;
  const query = new URLSearchParams(fields.filter(([, value]) => value !== '')).toString();
  return query === '' ? base || '?' : `${base}?${query}`;
}

function collapse(raw: string): string {
  return raw.replace(/\s+/g, ' ').trim();
}

function analyseForm(tokens: Token[], from: number, to: number, action: string): GetForm['filter'] {
  const hidden: [string, string][] = [];
  let select: { name: string; labelHtml: string; options: { value: string | null; labelHtml: string; selected: boolean }[] } | null = null;
  let selects = 0;
  let labelText = '';
  let inLabel = false;
  // value null: the option's text is its value.
  let option: { value: string | null; labelHtml: string; selected: boolean } | null = null;
  for (let t = from; t < to; t++) {
    const token = tokens[t]!;
    if (token.type === 'start') {
      if (token.name === 'label') {
        inLabel = true;
        labelText = '';
      } else if (token.name === 'input') {
        const type = (attribute(token, 'type')?.value ?? 'text').toLowerCase();
        const name = attribute(token, 'name')?.value;
        if (type === 'hidden') {
          if (name) hidden.push([name, attribute(token, 'value')?.value ?? '']);
        } else if (type !== 'submit' && type !== 'button' && type !== 'reset' && type !== 'image') {
          return null;
        }
      } else if (token.name === 'textarea') {
        return null;
      } else if (token.name === 'select') {
        selects++;
        if (attribute(token, 'multiple')) return null;
        const name = attribute(token, 'name')?.value;
        if (!name) return null;
        select = { name, labelHtml: collapse(inLabel ? labelText : '') || escapeMarkup(name), options: [] };
      } else if (token.name === 'option' && select) {
        if (option) select.options.push(option);
        const value = attribute(token, 'value');
        option = { value: value?.hasValue ? value.value : null, labelHtml: '', selected: attribute(token, 'selected') !== undefined };
      }
    } else if (token.type === 'end') {
      if (token.name === 'label') inLabel = false;
      if ((token.name === 'option' || token.name === 'select') && option && select) {
        select.options.push(option);
        option = null;
      }
    } else if (option) {
      option.labelHtml += token.raw;
    } else if (inLabel && !select) {
      labelText += token.raw;
    }
  }
  if (option && select) select.options.push(option);
  if (selects !== 1 || !select || select.options.length === 0) return null;
  const chosen = select.options.findIndex((o) => o.selected);
  const name = select.name;
  return {
    labelHtml: select.labelHtml,
    options: select.options.map((o, index) => {
      const labelHtml = collapse(o.labelHtml);
      const value = o.value ?? decodeEntities(labelHtml);
      return { url: formSubmissionUrl(action, [...hidden, [name, value]]), labelHtml, selected: index === (chosen === -1 ? 0 : chosen) };
    }),
  };
}

export function analysePage(html: string): PageAnalysis {
  const tokens = tokenize(html);
  const links: LinkRef[] = [];
  const forms: GetForm[] = [];
  let mainAt: number | null = null;
  let bodyAt: number | null = null;
  for (let t = 0; t < tokens.length; t++) {
    const token = tokens[t]!;
    if (token.type !== 'start') continue;
    if (token.name === 'main' && mainAt === null) mainAt = token.end;
    if (token.name === 'body' && bodyAt === null) bodyAt = token.end;
    if (token.name === 'form') {
      const method = (attribute(token, 'method')?.value ?? 'get').toLowerCase();
      if (method !== 'get') continue; // a POST form keeps its action; no public Candor page has one
      let close = t + 1;
      const isFormEnd = (candidate: Token) => candidate.type === 'end' && candidate.name === 'form';
      while (close < tokens.length && !isFormEnd(tokens[close]!)) close++;
      const end = close < tokens.length ? tokens[close]!.end : html.length;
      const action = attribute(token, 'action')?.value ?? '';
      forms.push({ start: token.start, end, filter: analyseForm(tokens, t + 1, close, action) });
      t = close;
      continue;
    }
    for (const a of token.attributes) {
      if (!a.hasValue) continue;
      if (URL_ATTRIBUTES.has(a.name)) {
        if (a.name === 'data' && token.name !== 'object') continue;
        if (a.name === 'cite' && !['blockquote', 'q', 'del', 'ins'].includes(token.name)) continue;
        links.push({ tag: token.name, attribute: a.name, url: a.value.trim(), valueStart: a.valueStart, valueEnd: a.valueEnd, quoted: a.quoted });
      } else if (a.name === 'srcset') {
        parseSrcset(a.value).forEach((url, index) =>
          links.push({ tag: token.name, attribute: a.name, url, valueStart: a.valueStart, valueEnd: a.valueEnd, quoted: a.quoted, srcsetIndex: index }),
        );
      }
    }
  }
  return { links, forms, noticeAt: mainAt ?? bodyAt };
}

export interface RewriteOptions {
  /** The new href for a URL found in the page, or null to leave it as it is. */
  link: (url: string) => string | null;
  /** The HTML notice to insert inside <main> (or <body>), or null for none. */
  noticeHtml: string | null;
}

/** The HTML that stands in for a GET form on a static copy. */
export function filterReplacement(form: GetForm, link: (url: string) => string | null): string {
  if (!form.filter) {
    return '<p class="filter static-note">Filtering needs the live status page; this static copy shows every entry.</p>';
  }
  const chosen = form.filter.options.find((o) => o.selected) ?? form.filter.options[0]!;
  const items = form.filter.options
    .map((o) => {
      const href = link(o.url) ?? o.url;
      return `<li><a href="${escapeAttribute(href)}"${o.selected ? ' aria-current="page"' : ''}>${o.labelHtml}</a></li>`;
    })
    .join('');
  return `<details class="static-filter"><summary>${form.filter.labelHtml}: ${chosen.labelHtml}</summary><ul>${items}</ul></details>`;
}

/** The page with its links rewritten, its GET forms replaced and the notice inserted. */
export function rewritePage(html: string, analysis: PageAnalysis, options: RewriteOptions): string {
  interface Edit {
    start: number;
    end: number;
    text: string;
  }
  const edits: Edit[] = [];
  for (const form of analysis.forms) edits.push({ start: form.start, end: form.end, text: filterReplacement(form, options.link) });
  const bySpan = new Map<number, LinkRef[]>();
  for (const ref of analysis.links) {
    const list = bySpan.get(ref.valueStart) ?? [];
    list.push(ref);
    bySpan.set(ref.valueStart, list);
  }
  for (const refs of bySpan.values()) {
    const first = refs[0]!;
    const raw = html.slice(first.valueStart, first.valueEnd);
    let value: string;
    if (first.srcsetIndex === undefined) {
      const replaced = options.link(first.url);
      if (replaced === null) continue;
      value = replaced;
    } else {
      const candidates = decodeEntities(raw).split(',');
      let changed = false;
      const rewritten = candidates.map((candidate) => {
        const parts = candidate.trim().split(/\s+/);
        const replaced = parts[0] ? options.link(parts[0]) : null;
        if (replaced === null) return candidate.trim();
        changed = true;
        return [replaced, ...parts.slice(1)].join(' ');
      });
      if (!changed) continue;
      value = rewritten.join(', ');
    }
    const escaped = escapeAttribute(value);
    edits.push(first.quoted ? { start: first.valueStart, end: first.valueEnd, text: escaped } : { start: first.valueStart, end: first.valueEnd, text: `"${escaped}"` });
  }
  if (options.noticeHtml !== null && analysis.noticeAt !== null) edits.push({ start: analysis.noticeAt, end: analysis.noticeAt, text: options.noticeHtml });
  edits.sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let at = 0;
  for (const edit of edits) {
    if (edit.start < at) continue; // inside a replaced form
    out += html.slice(at, edit.start) + edit.text;
    at = edit.end;
  }
  return out + html.slice(at);
}

/** Every URL a page leads to: its links and the submissions of its filter forms. */
export function pageUrls(analysis: PageAnalysis): string[] {
  const urls = analysis.links.map((l) => l.url);
  for (const form of analysis.forms) for (const option of form.filter?.options ?? []) urls.push(option.url);
  return urls;
}

/** `url(...)` references in a stylesheet (fonts, images). */
export function cssUrls(css: string): string[] {
  const urls: string[] = [];
  for (const match of css.matchAll(/url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)/gi)) {
    const url = (match[1] ?? match[2] ?? match[3] ?? '').trim();
    if (url !== '' && !url.startsWith('data:')) urls.push(url);
  }
  for (const match of css.matchAll(/@import\s+(?:"([^"]*)"|'([^']*)')/gi)) urls.push(match[1] ?? match[2]!);
  return urls;
}
