// The demo's incidents, oldest first, all relative to `now`. The failover lives in its own file.
import { HOUR, MIN, dayAt, md, type IncidentSpec } from './build.ts';
import { failoverIncident } from './demo-failover.ts';

export function demoIncidents(now: number): IncidentSpec[] {
  return [
    inboundBacklog(dayAt(now, 118, '20:05')),
    consoleSignIn(dayAt(now, 100, '07:50')),
    sendApi503(dayAt(now, 70, '14:32')),
    failoverIncident(now),
    outlookDeferrals(dayAt(now, 30, '09:00')),
    bounce550(dayAt(now, 20, '05:40')),
    delayedStatistics(dayAt(now, 9, '07:05')),
    slowRelay(dayAt(now, 3, '08:20')),
    webhookLatency(now - 95 * MIN, now),
  ];
}

function inboundBacklog(t: number): IncidentSpec {
  return {
    title: 'Delayed processing of inbound email',
    impact: 'minor',
    startedAt: t,
    mitigatedAt: t + 80 * MIN,
    periods: [{ component: 'inbound-email', level: 'degraded_performance', from: t, to: t + 90 * MIN }],
    updates: [
      {
        at: t + 20 * MIN,
        status: 'investigating',
        set: { 'inbound-email': 'degraded_performance' },
        body: 'Inbound email is accepted but reaches your **inbound webhooks** with a delay of up to 40 minutes. No mail is lost.',
      },
      {
        at: t + 55 * MIN,
        status: 'identified',
        body: 'A spam-filter update is scanning each message several times. We are rolling it back.',
      },
      {
        at: t + 80 * MIN,
        status: 'monitoring',
        body: 'The rollback is complete and the backlog is shrinking quickly.',
      },
      {
        at: t + 110 * MIN,
        status: 'resolved',
        set: { 'inbound-email': 'operational' },
        body: 'The backlog was cleared by 90 minutes after the start. Inbound processing is back to normal.',
      },
    ],
  };
}

function consoleSignIn(t: number): IncidentSpec {
  return {
    title: 'Admin console sign-in failures',
    impact: 'minor',
    startedAt: t,
    mitigatedAt: t + 65 * MIN,
    periods: [{ component: 'admin-console', level: 'degraded_performance', from: t, to: t + 70 * MIN }],
    updates: [
      {
        at: t + 15 * MIN,
        status: 'investigating',
        set: { 'admin-console': 'degraded_performance' },
        body: md`
          Some users cannot sign in to the admin console with **single sign-on**.
          Password sign-in and all sending are not affected.
        `,
      },
      {
        at: t + 50 * MIN,
        status: 'identified',
        body: 'An expired signing certificate in our SSO configuration rejects valid logins. A new certificate is being deployed.',
      },
      {
        at: t + 65 * MIN,
        status: 'monitoring',
        body: 'The new certificate is live. Sessions started in the last hour may need to sign in again.',
      },
      {
        at: t + 90 * MIN,
        status: 'resolved',
        set: { 'admin-console': 'operational' },
        body: 'Single sign-on works normally again. We now alert 30 days before any certificate expires.',
      },
    ],
  };
}

function sendApi503(t: number): IncidentSpec {
  return {
    title: 'Send API returning 503 errors',
    impact: 'major',
    startedAt: t,
    mitigatedAt: t + 20 * MIN,
    periods: [{ component: 'send-api', level: 'partial_outage', from: t, to: t + 25 * MIN }],
    updates: [
      {
        at: t + 6 * MIN,
        status: 'investigating',
        set: { 'send-api': 'partial_outage' },
        body: md`
          About **one in three** requests to the Send API fail with \`503 Service Unavailable\`.
          Retrying the request usually succeeds.
        `,
      },
      {
        at: t + 22 * MIN,
        status: 'monitoring',
        body: 'A configuration change to our load balancers caused the errors. We rolled it back 20 minutes after the start; error rates are dropping.',
      },
      {
        at: t + 45 * MIN,
        status: 'resolved',
        set: { 'send-api': 'operational' },
        body: 'Error rates returned to normal **25 minutes** after the start. Requests that failed with 503 were not sent and can be retried safely.',
      },
    ],
  };
}

function outlookDeferrals(t: number): IncidentSpec {
  return {
    title: 'Outlook.com temporarily deferring some messages',
    impact: 'none',
    startedAt: t,
    mitigatedAt: null,
    periods: [],
    updates: [
      {
        at: t + 40 * MIN,
        status: 'investigating',
        body: md`
          **For information — not a Postwise outage.** Microsoft is temporarily deferring some
          messages to Outlook.com and Hotmail addresses (\`421 4.7.650\`). Postwise retries them
          automatically; you do not need to do anything.
        `,
      },
      {
        at: t + 3 * HOUR,
        status: 'monitoring',
        body: 'Microsoft reports the issue fixed on their side. Deferred messages are being delivered on retry.',
      },
      {
        at: t + 6 * HOUR,
        status: 'resolved',
        body: 'All deferred messages to Microsoft domains have been delivered.',
      },
    ],
  };
}

function bounce550(t: number): IncidentSpec {
  return {
    title: 'Inbound mail rejected with 550 errors',
    impact: 'major',
    startedAt: t,
    mitigatedAt: t + 3 * HOUR + 50 * MIN,
    periods: [
      {
        component: 'inbound-email',
        level: 'partial_outage',
        from: t,
        to: t + 4 * HOUR + 20 * MIN,
        updatedAt: t + 5 * HOUR,
      },
    ],
    updates: [
      {
        at: t + 18 * MIN,
        status: 'investigating',
        set: { 'inbound-email': 'partial_outage' },
        body: md`
          Inbound email for some domains is rejected with \`550 5.1.1 User unknown\`, even for
          valid addresses. Because 550 is a **permanent** error, senders will not retry: the
          rejected messages bounce back to them.
        `,
      },
      {
        at: t + 65 * MIN,
        status: 'identified',
        body: md`
          A release of our recipient-validation service filled its cache with wrong answers for
          domains that use catch-all routing. We are:

          - rolling back the release;
          - rebuilding the cache from the domain configuration.
        `,
      },
      {
        at: t + 3 * HOUR + 50 * MIN,
        status: 'monitoring',
        body: 'The rollback is deployed. Cached rejections expire within 30 minutes, so some addresses may still see 550 errors until then.',
      },
      {
        at: t + 5 * HOUR,
        status: 'resolved',
        set: { 'inbound-email': 'operational' },
        body: md`
          The last wrong rejections stopped **4 hours 20 minutes** after the start.
          Mail rejected during that time was bounced to its senders and has to be sent again;
          the list of affected sender addresses is in your dashboard under **Inbound → Rejections**.
        `,
      },
    ],
  };
}

function delayedStatistics(t: number): IncidentSpec {
  return {
    title: 'Delayed statistics in dashboard',
    impact: 'minor',
    startedAt: t,
    mitigatedAt: t + 4 * HOUR + 30 * MIN,
    periods: [{ component: 'statistics', level: 'degraded_performance', from: t, to: t + 6 * HOUR }],
    updates: [
      {
        at: t + 25 * MIN,
        status: 'investigating',
        set: { statistics: 'degraded_performance' },
        body: 'Opens, clicks and delivery events appear in the dashboard and the statistics API with a delay. Sending is **not** affected.',
      },
      {
        at: t + 100 * MIN,
        status: 'identified',
        body: 'Our event pipeline fell behind after a traffic spike. We are adding processing capacity.',
      },
      {
        at: t + 4 * HOUR + 30 * MIN,
        status: 'monitoring',
        body: 'Extra capacity is running and the backlog is shrinking. Statistics are currently about 40 minutes behind.',
      },
      {
        at: t + 6 * HOUR + 10 * MIN,
        status: 'resolved',
        set: { statistics: 'operational' },
        body: 'The backlog was fully processed **6 hours** after the start. No events were lost.',
      },
    ],
  };
}

function slowRelay(t: number): IncidentSpec {
  return {
    title: 'Slow connections to the SMTP relay',
    impact: 'minor',
    startedAt: t,
    mitigatedAt: t + 40 * MIN,
    periods: [{ component: 'smtp-relay', level: 'degraded_performance', from: t, to: t + 50 * MIN }],
    updates: [
      {
        at: t + 12 * MIN,
        status: 'investigating',
        set: { 'smtp-relay': 'degraded_performance' },
        body: 'New connections to the SMTP relay take up to 20 seconds to be accepted. Mail is still delivered.',
      },
      {
        at: t + 40 * MIN,
        status: 'monitoring',
        body: 'One relay node had a failing disk and was removed from the pool. Connection times are back to normal.',
      },
      {
        at: t + 65 * MIN,
        status: 'resolved',
        set: { 'smtp-relay': 'operational' },
        body: 'Connection times have been normal since 50 minutes after the start.',
      },
    ],
  };
}

function webhookLatency(t: number, now: number): IncidentSpec {
  return {
    title: 'Elevated latency on webhook deliveries',
    impact: 'minor',
    startedAt: t,
    mitigatedAt: null,
    periods: [{ component: 'webhooks', level: 'degraded_performance', from: t, to: null }],
    updates: [
      {
        at: now - 80 * MIN,
        status: 'investigating',
        set: { webhooks: 'degraded_performance' },
        body: md`
          Webhook deliveries (delivery, bounce and inbound events) reach your endpoints
          **5 to 15 minutes late**. No events are lost; they are queued and delivered in order.
        `,
      },
      {
        at: now - 35 * MIN,
        status: 'identified',
        body: md`
          A few customer endpoints respond very slowly and are tying up our delivery workers.
          We are deploying per-endpoint limits so slow endpoints no longer delay everyone else.
        `,
      },
    ],
  };
}
