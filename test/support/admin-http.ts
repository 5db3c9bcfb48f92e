// A signed-in browser, reduced to fetch: same-origin form posts with the session cookie, and
// redirects left visible so tests can assert them.
export interface AdminClient {
  get: (path: string) => Promise<Response>;
  post: (path: string, fields: Record<string, string | string[]>) => Promise<Response>;
}

export function adminClient(serverUrl: string, cookie: string): AdminClient {
  return {
    get: (path) => fetch(serverUrl + path, { headers: { Cookie: cookie }, redirect: 'manual' }),
    post: (path, fields) => {
      const body = new URLSearchParams();
      for (const [name, value] of Object.entries(fields)) {
        for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
      }
      return fetch(serverUrl + path, {
        method: 'POST',
        headers: { Cookie: cookie, Origin: serverUrl, 'Content-Type': 'application/x-www-form-urlencoded' },
        body,
        redirect: 'manual',
      });
    },
  };
}
