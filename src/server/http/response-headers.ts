// Setting headers on a response from Astro's middleware chain. Some responses have immutable
// headers (Response.redirect, a response from fetch); those are copied. Astro keeps the cookies set
// during rendering on the response object itself, so a copy must carry them over.
const ASTRO_COOKIES = Symbol.for('astro.cookies');

/** The cookies Astro set on `from`, carried to `to` (which is returned). */
export function carryCookies(from: Response, to: Response): Response {
  const cookies = Reflect.get(from, ASTRO_COOKIES);
  if (cookies !== undefined) Reflect.set(to, ASTRO_COOKIES, cookies);
  return to;
}

/** `response` with these headers set: in place when it allows it, else on a copy with its cookies. */
export function withHeaders(response: Response, values: Record<string, string>): Response {
  try {
    for (const [name, value] of Object.entries(values)) response.headers.set(name, value);
    return response;
  } catch {
    const copy = new Response(response.body, response);
    for (const [name, value] of Object.entries(values)) copy.headers.set(name, value);
    return carryCookies(response, copy);
  }
}
