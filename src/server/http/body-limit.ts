// Caps what a workspace form or admin API call may send: forms are small, and a huge body would
// only tie up the server (markdown rendering, argon2, JSON parsing).
//
// The cap is read from Content-Length, which Node's parser enforces (it never reads past it).
// A body without one (chunked) is refused outright: browsers always send the length for forms,
// and counting a stream here would mean buffering it or leaving the client stuck mid-upload.
export const MAX_ADMIN_BODY_BYTES = 256 * 1024;

export type BodyProblem = 'too-large' | 'length-required' | null;

export function bodyProblem(request: Request, limit = MAX_ADMIN_BODY_BYTES): BodyProblem {
  const declared = request.headers.get('content-length');
  if (declared === null) return request.body === null ? null : 'length-required';
  return Number(declared) > limit ? 'too-large' : null;
}
