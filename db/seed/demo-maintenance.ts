// The demo's maintenance windows: one by the book, one announced late that overran, one upcoming.
import { DAY, HOUR, MIN, dayAt, md, when, type MaintenanceSpec } from './build.ts';

export function demoMaintenances(now: number): MaintenanceSpec[] {
  return [tlsRotation(dayAt(now, 75, '00:00')), databaseUpgrade(dayAt(now, 50, '00:30')), storageMigration(dayAt(now, -12, '23:00'))];
}

/** Announced 35 days ahead, finished inside its 2-hour night window: excused under the SLA. */
function databaseUpgrade(start: number): MaintenanceSpec {
  const end = start + 2 * HOUR;
  const announced = start - 35 * DAY;
  const actualStart = start + 2 * MIN;
  const verifying = start + 85 * MIN;
  const actualEnd = start + 100 * MIN;
  return {
    title: 'Database upgrade for statistics',
    components: ['statistics'],
    announcedAt: announced,
    scheduledStart: start,
    scheduledEnd: end,
    actualStart,
    verifyingAt: verifying,
    actualEnd,
    updates: [
      {
        at: announced,
        status: 'scheduled',
        body: md`
          We will upgrade the database behind **statistics** on ${when(start)}, for up to 2 hours.
          During the window the dashboard and the statistics API may show data up to an hour old.
          **Sending and receiving email are not affected.**
        `,
      },
      { at: actualStart, status: 'in_progress', body: 'The upgrade has started. Statistics are paused.' },
      { at: verifying, status: 'verifying', body: 'The upgrade is done. We are checking that all statistics are complete and current.' },
      { at: actualEnd, status: 'completed', body: 'Statistics are current again. The upgrade finished 20 minutes ahead of schedule.' },
    ],
  };
}

/** Only 2 days' notice (the SLA asks for 30) and 40 minutes over its window: not excused. */
function tlsRotation(start: number): MaintenanceSpec {
  const end = start + HOUR;
  const announced = start - 2 * DAY;
  const actualStart = start;
  const verifying = end + 25 * MIN;
  const actualEnd = end + 40 * MIN;
  return {
    title: 'SMTP relay TLS certificate rotation',
    components: ['smtp-relay'],
    announcedAt: announced,
    scheduledStart: start,
    scheduledEnd: end,
    actualStart,
    verifyingAt: verifying,
    actualEnd,
    updates: [
      {
        at: announced,
        status: 'scheduled',
        body: md`
          Our TLS certificate for \`smtp.postwise.example\` expires soon. We will rotate it on
          ${when(start)}. Connections may be refused for a few minutes while relay nodes restart;
          your mail servers will retry. We are sorry for the short notice.
        `,
      },
      { at: actualStart, status: 'in_progress', body: 'The rotation has started. Relay nodes restart one by one.' },
      {
        at: end - 5 * MIN,
        status: 'in_progress',
        body: md`
          The rotation is **taking longer than planned**: two relay nodes did not pick up the new
          certificate and are being rebuilt. We expect to finish within 45 minutes.
        `,
      },
      { at: verifying, status: 'verifying', body: 'All relay nodes serve the new certificate. We are verifying delivery end to end.' },
      { at: actualEnd, status: 'completed', body: 'The rotation is complete, 40 minutes later than announced.' },
    ],
  };
}

/** Upcoming: announced 34 days ahead, nothing has happened yet. */
function storageMigration(start: number): MaintenanceSpec {
  const announced = start - 34 * DAY;
  return {
    title: 'Inbound email storage migration',
    components: ['inbound-email', 'webhooks'],
    announcedAt: announced,
    scheduledStart: start,
    scheduledEnd: start + 3 * HOUR,
    actualStart: null,
    verifyingAt: null,
    actualEnd: null,
    updates: [
      {
        at: announced,
        status: 'scheduled',
        body: md`
          We will move stored inbound email to new, replicated storage on ${when(start)},
          for up to **3 hours**. During the window:

          - inbound email is accepted and queued, and reaches you with a delay;
          - inbound webhooks are delivered late, in order;
          - the inbound message archive in the dashboard is read-only.
        `,
      },
    ],
  };
}
