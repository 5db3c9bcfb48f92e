// The address a request came from, for sign-in throttling. Behind trusted reverse proxies it is
// read from X-Forwarded-For by proxy-addr: walking from the nearest hop outwards, the first
// address that is not a trusted proxy. Entries further left were written by the client and can
// say anything, so with two proxies the last entry would name the first proxy, not the client.
import proxyAddr from 'proxy-addr';
import type { ProxyTrust } from '../../config.ts';

export function trustFunction(trust: ProxyTrust): (address: string, hop: number) => boolean {
  if ('hops' in trust) return (_address, hop) => hop < trust.hops;
  return proxyAddr.compile(trust.ranges);
}

export function clientAddressOf(request: Request, socketAddress: string, trust: ProxyTrust | null): string {
  if (trust === null) return socketAddress;
  const forwarded = request.headers.get('x-forwarded-for');
  const req = { headers: forwarded === null ? {} : { 'x-forwarded-for': forwarded }, connection: { remoteAddress: socketAddress }, socket: { remoteAddress: socketAddress } };
  return proxyAddr(req as unknown as Parameters<typeof proxyAddr>[0], trustFunction(trust));
}
