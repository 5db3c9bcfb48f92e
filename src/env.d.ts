/// <reference types="astro/client" />

declare namespace App {
  interface Locals {
    /** Set by the admin guard for signed-in staff; null on public requests. */
    staff: import('./server/auth/staff.ts').Staff | null;
    /** Set by the admin guard on /api/admin… for a valid API token or session; null otherwise. */
    apiCaller: import('./server/write-api/caller.ts').ApiCaller | null;
    /** What a public page shows (src/server/http/page-scopes.ts); unset: anything. */
    dependsOn?: readonly string[];
  }
}
