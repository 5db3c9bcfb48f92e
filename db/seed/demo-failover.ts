// The demo's centrepiece: a datacentre failover that took 3 hours while some customers were
// affected for over 2 days — with an apology, a correction, an impact-window correction and a
// published post-mortem.
import { DAY, HOUR, MIN, clock, dayAt, md, when, type IncidentSpec, type PeriodSpec } from './build.ts';

export const FAILOVER_TITLE = 'Email delivery outage after Amsterdam datacentre failure';

export function failoverIncident(now: number): IncidentSpec {
  const t = dayAt(now, 40, '12:13');
  const firstUpdate = t + 47 * MIN;
  const failoverDone = t + 3 * HOUR;
  const sendApiBack = t + 5 * HOUR;
  const inboundBack = t + DAY + 4 * HOUR;
  const relayAnnouncedBack = t + DAY + 22 * HOUR;
  const allRestored = t + 2 * DAY + 6 * HOUR;
  const resolved = t + 2 * DAY + 8 * HOUR;
  const reviewed = t + 7 * DAY;

  const periods = (relayEnd: number): PeriodSpec[] => [
    { component: 'smtp-relay', level: 'major_outage', from: t, to: failoverDone },
    { component: 'smtp-relay', level: 'partial_outage', from: failoverDone, to: relayEnd },
    { component: 'inbound-email', level: 'major_outage', from: t, to: failoverDone },
    { component: 'inbound-email', level: 'partial_outage', from: failoverDone, to: inboundBack },
    { component: 'send-api', level: 'partial_outage', from: t, to: sendApiBack },
  ];
  const snapshot = (relayEnd: number) => ({
    impactEndedAt: relayEnd,
    periods: periods(relayEnd).map((p) => ({
      component: p.component,
      level: p.level,
      startedAt: p.from,
      endedAt: p.to,
    })),
  });

  return {
    title: FAILOVER_TITLE,
    impact: 'critical',
    startedAt: t,
    mitigatedAt: failoverDone,
    mitigationWording: 'failover',
    // As corrected in the post-mortem review: the relay period runs until the last queue replayed.
    periods: periods(allRestored).map((p) =>
      p.component === 'smtp-relay' && p.level === 'partial_outage' ? { ...p, updatedAt: reviewed } : p,
    ),
    updates: [
      {
        at: firstUpdate,
        status: 'investigating',
        set: { 'smtp-relay': 'major_outage', 'inbound-email': 'major_outage', 'send-api': 'partial_outage' },
        body: md`
          We are investigating failed email delivery. Since about ${clock(t)}:

          - connections to the **SMTP relay** time out;
          - **inbound email** is not being accepted;
          - some **Send API** requests fail with \`503 Service Unavailable\`.

          Messages accepted before the problem started are safe. Next update within 30 minutes.
        `,
      },
      {
        at: t + 90 * MIN,
        status: 'identified',
        body: md`
          Our **Amsterdam datacentre lost power** and its backup power did not take over.
          We are failing over all mail processing to our Frankfurt datacentre.
          We expect the failover to take about 90 minutes.
        `,
      },
      {
        at: failoverDone,
        status: 'monitoring',
        set: { 'smtp-relay': 'partial_outage', 'inbound-email': 'partial_outage' },
        body: md`
          **Failover to Frankfurt complete.** All services now run from Frankfurt and new mail is
          flowing again after an outage of about **3 hours**. We are monitoring closely.
        `,
      },
      {
        at: sendApiBack,
        status: 'identified',
        set: { 'send-api': 'operational' },
        body: md`
          The **Send API** is back to normal. However, many customers' **mail queues are stuck**:

          - mail queued in Amsterdam during the outage has not been delivered yet;
          - some dedicated IP pools did not move to Frankfurt and still reject connections;
          - inbound email for some domains is still routed to Amsterdam.

          We are replaying the stuck queues customer by customer. This will take many hours.
        `,
      },
      {
        at: t + 20 * HOUR,
        kind: 'apology',
        status: 'identified',
        body: md`
          **We are sorry.** Many of you have now been without reliable email for most of a day,
          and our updates so far made this sound like a short, finished outage. It is not.
          You rely on Postwise to reach your customers, and we have let you down.

          We will keep posting here at least every 3 hours until every queue is delivered, and we
          will publish a full post-mortem.
        `,
      },
      {
        at: inboundBack,
        status: 'identified',
        set: { 'inbound-email': 'operational' },
        body: md`
          **Inbound email** is restored for all domains; mail that senders retried is arriving.
          Queue replay on the **SMTP relay** continues: about 30% of affected customers still wait
          for older messages to be delivered.
        `,
      },
      {
        at: t + 30 * HOUR,
        kind: 'correction',
        status: 'identified',
        body: md`
          **Correction.** Our update at ${clock(failoverDone)} spoke of "an outage of about 3 hours".
          That figure measured **only the failover** to Frankfurt, not the time you were affected.
          The customer impact is **still ongoing** for some customers of the SMTP relay, now
          30 hours after it started.
        `,
      },
      {
        at: relayAnnouncedBack,
        status: 'monitoring',
        set: { 'smtp-relay': 'operational' },
        body: md`
          The **SMTP relay** is restored for nearly all customers. The last large queues are being
          replayed now; if messages from the outage are still missing for you, contact support.
        `,
      },
      {
        at: allRestored,
        status: 'monitoring',
        body: md`
          **All customers restored.** The last stuck queue finished replaying at ${clock(allRestored)}.
          Every message accepted during the outage has now been delivered or bounced to its sender.
        `,
      },
      {
        at: resolved,
        status: 'resolved',
        body: md`
          We verified delivery end to end for every affected customer and are closing this incident.
          Customers were affected for **2 days 6 hours**; the failover itself took 3 hours.
          A post-mortem will follow within a week.
        `,
      },
    ],
    impactCorrections: [
      {
        reason: 'Post-mortem review found SMTP relay customers remained affected until the queue replay finished',
        at: reviewed,
        before: snapshot(relayAnnouncedBack),
        after: snapshot(allRestored),
      },
    ],
    postmortem: {
      createdAt: t + 4 * DAY,
      publishedAt: reviewed,
      body: md`
        ## Summary

        On ${when(t)} our Amsterdam datacentre lost power. Sending and receiving email failed for
        all customers. We completed a failover to Frankfurt **3 hours** later, but customers of the
        SMTP relay were affected for **2 days 6 hours**, until the last stuck mail queue was replayed.

        ## Timeline

        - **${when(t)}** — mains power fails in Amsterdam; the backup generators do not start.
        - **${when(firstUpdate)}** — first public update, 47 minutes after the start.
        - **${when(t + 90 * MIN)}** — cause identified; failover to Frankfurt begins.
        - **${when(failoverDone)}** — failover complete. We wrongly reported a 3-hour outage.
        - **${when(sendApiBack)}** — Send API fully restored; stuck queues discovered.
        - **${when(inboundBack)}** — inbound email restored for all domains.
        - **${when(allRestored)}** — last queue replayed: customer impact ends.
        - **${when(resolved)}** — incident resolved after end-to-end verification.

        ## What went wrong

        1. The automatic transfer switch for the backup generators failed its monthly test three
           weeks earlier; the ticket was never escalated.
        2. Mail queues live on storage local to each datacentre. The failover moved new traffic but
           not the messages already queued in Amsterdam; they had to be replayed by hand.
        3. Dedicated IP pools and some inbound MX routes were not part of the failover runbook.

        ## Why we reported "3 hours"

        Our incident process measured the outage from the start until service was restored **on our
        side**. The failover was complete after 3 hours, so that is what we reported. But customers
        whose queues were stuck were not back to normal, and nobody checked. We corrected the
        figure publicly, and during this review we also extended the recorded SMTP relay impact
        from ${when(relayAnnouncedBack)} to ${when(allRestored)}, when the replay actually finished.

        ## What we are changing

        - Every incident now reports two numbers: the **failover duration** and the
          **customer-facing impact duration**.
        - An incident can only be resolved once delivery is verified end to end for affected customers.
        - Mail queues move to replicated storage so a failover takes queued messages with it.
        - Dedicated IP pools and inbound routes are added to the failover runbook and drilled quarterly.
        - Generator transfer-switch test failures now page the on-call engineer.
      `,
    },
  };
}
