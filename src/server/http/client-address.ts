// The address a request came from, for sign-in throttling. Behind a trusted reverse proxy it is
// the last X-Forwarded-For entry — the one that proxy appended itself; entries to its left were
// sent by the client and can say anything.
export function clientAddressOf(request: Request, socketAddress: string, trustProxy: boolean): string {
  if (!trustProxy) return socketAddress;
  const forwarded = request.headers.get('x-forwarded-for');
  const last = forwarded?.split(',').map((part) => part.trim()).filter(Boolean).at(-1);
  return last ?? socketAddress;
}
