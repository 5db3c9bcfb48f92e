// Caps what a workspace form or admin API call may send: forms are small, and a huge body would
// only tie up the server (markdown rendering, argon2, JSON parsing).
//
// The cap is read from Content-Length, which Node's parser enforces (it never reads past it).
// A body without one (chunked) is refused outright: browsers always send the length for forms,
// and counting a stream here would mean buffering it or leaving the client stuck mid-upload.
// A request with neither Content-Length nor Transfer-Encoding has no body at all (RFC 9112
// §6.3) — e.g. `curl -X POST` of a maintenance step — even though Node hands Astro a stream.
export const MAX_ADMIN_BODY_BYTES = 256 * 1024;

export type BodyProblem = 'too-large' | 'length-required' | null;

export function bodyProblem(request: Request, limit = MAX_ADMIN_BODY_BYTES): BodyProblem {
  const declared = request.headers.get('content-length');
  if (declared === null) return request.body === null || !request.headers.has('transfer-encoding') ? null : 'length-required';
  return Number(declared) > limit ? 'too-large' : null;
}
