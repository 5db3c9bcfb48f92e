// One outbound POST to a URL a subscriber or staff member gave us, made safe: the name is resolved
// once and the connection goes to that address (no DNS rebinding between check and use), loopback,
// private, link-local and other special ranges are refused unless allowed, the whole exchange
// times out after 10 s, and redirects are not followed (a 3xx is a failure).
import { lookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { DeliveryFailure } from '../worker.ts';

export const OUTBOUND_TIMEOUT_MS = 10_000;
const MAX_ANSWER_BYTES = 16 * 1024;

export interface PostOptions {
  allowPrivate: boolean;
  timeoutMs?: number;
}

export interface PostAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** Only ordinary public unicast addresses are reachable by default. */
export function isPublicAddress(address: string): boolean {
  const parsed = ipaddr.process(address);
  return parsed.range() === 'unicast';
}

export async function resolveTarget(url: URL, allowPrivate: boolean): Promise<{ address: string; family: number }> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let target: { address: string; family: number };
  if (ipaddr.isValid(host)) {
    const parsed = ipaddr.process(host);
    target = { address: parsed.toString(), family: parsed.kind() === 'ipv6' ? 6 : 4 };
  } else {
    try {
      target = await lookup(host);
    } catch (error) {
      throw new DeliveryFailure(`Cannot resolve ${host}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  }
  if (!allowPrivate && !isPublicAddress(target.address)) {
    throw new DeliveryFailure(`Refused: ${host} resolves to ${target.address}, a private or special-purpose address.`, { permanent: true });
  }
  return target;
}

export async function postJson(rawUrl: string, body: string, headers: Record<string, string>, options: PostOptions): Promise<PostAnswer> {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new DeliveryFailure('The destination is not a valid URL.', { permanent: true });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new DeliveryFailure('Only http and https URLs are supported.', { permanent: true });
  const target = await resolveTarget(url, options.allowPrivate);
  // The connection uses the address checked above, whatever the name resolves to by now.
  const pinned: LookupFunction = (_host, opts, callback) => {
    if ((opts as { all?: boolean }).all) (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [target]);
    else callback(null, target.address, target.family);
  };
  const client = url.protocol === 'https:' ? https : http;
  const timeoutMs = options.timeoutMs ?? OUTBOUND_TIMEOUT_MS;
  return new Promise<PostAnswer>((resolve, reject) => {
    const request = client.request(
      url,
      {
        method: 'POST',
        lookup: pinned,
        agent: false,
        headers: { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)), 'User-Agent': 'Candor-Notifications', ...headers },
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          if (size < MAX_ANSWER_BYTES) chunks.push(chunk);
          size += chunk.length;
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8').slice(0, MAX_ANSWER_BYTES) }));
        response.on('error', reject);
      },
    );
    const timer = setTimeout(() => request.destroy(new DeliveryFailure(`No answer within ${timeoutMs / 1000} s.`)), timeoutMs);
    request.on('close', () => clearTimeout(timer));
    request.on('error', (error) => reject(error instanceof DeliveryFailure ? error : new DeliveryFailure(`Cannot reach ${url.host}: ${(error as NodeJS.ErrnoException).code ?? error.message}`)));
    request.end(body);
  });
}

/** 2xx is acceptance; anything else (3xx included) is a failure, 429 with the wait it asks for. */
export function acceptOrThrow(answer: PostAnswer): string {
  if (answer.status >= 200 && answer.status < 300) return `HTTP ${answer.status}`;
  let retryAfterMs: number | null = null;
  if (answer.status === 429) {
    const header = Number(answer.headers['retry-after']);
    let fromBody: number | undefined;
    try {
      fromBody = (JSON.parse(answer.body) as { retry_after?: number }).retry_after;
    } catch {
      fromBody = undefined;
    }
    const seconds = Number.isFinite(header) ? header : fromBody;
    if (typeof seconds === 'number' && Number.isFinite(seconds)) retryAfterMs = Math.ceil(seconds * 1000);
  }
  const excerpt = answer.body.replace(/\s+/g, ' ').trim().slice(0, 120);
  throw new DeliveryFailure(`HTTP ${answer.status}${excerpt ? `: ${excerpt}` : ''}`, { retryAfterMs });
}
