// RFC 8058 one-click unsubscribe: mail clients POST "List-Unsubscribe=One-Click" to the URL in the
// List-Unsubscribe header, and that alone ends the subscription. A person who opens the URL gets
// the manage page, where leaving is one button (a GET must not unsubscribe: link scanners follow GETs).
import type { APIRoute } from 'astro';
import { getDb } from '../../server/db.ts';
import { NotFound } from '../../server/errors.ts';
import { unsubscribe } from '../../server/notify/subscriptions.ts';

export const POST: APIRoute = ({ url }) => {
  try {
    unsubscribe(getDb(), url.searchParams.get('token') ?? '');
  } catch (error) {
    if (!(error instanceof NotFound)) throw error;
  }
  // The same answer either way: the address is not subscribed any more.
  return new Response('You are unsubscribed.\n', { status: 200, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
};

export const GET: APIRoute = ({ url, redirect }) => redirect(`/subscribe/manage?token=${encodeURIComponent(url.searchParams.get('token') ?? '')}`, 303);
