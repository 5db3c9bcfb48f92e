// Strong validators: the ETag is a hash of the exact bytes sent, so equal tags mean equal bodies.
import { createHash } from 'node:crypto';

export function strongEtag(body: Uint8Array | string): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

/**
 * Whether an If-None-Match header names this tag. RFC 9110 asks for the weak comparison here,
 * so `W/"x"` (as a compressing proxy may rewrite it) matches `"x"`; `*` matches anything.
 */
export function ifNoneMatchHits(header: string | null, etag: string): boolean {
  if (header === null) return false;
  if (header.trim() === '*') return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  const wanted = opaque(etag);
  return header.split(',').some((tag) => opaque(tag) === wanted);
}
