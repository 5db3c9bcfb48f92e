// `/api/uptime.json`: the monthly uptime report of /uptime as data — per component
// availability, SLA target, met or missed, error budget and credit tier; the month's
// maintenance and whether each window was excused; response-time compliance. Documented in
// docs/api.md.
import type { Db } from '../../../db/client.ts';
import { monthInterval } from '../../domain/calendar-month.ts';
import { getUptimePage, parseUptimeMonth, type UptimePage } from '../uptime-page.ts';
import { impactLabel, type ClassLabels } from '../../domain/status.ts';
import { iso } from './status-api-objects.ts';

/** Every targeted impact with the word the policy uses for it (its usual label when unnamed). */
function classLabelsOf(classes: ClassLabels) {
  return { critical: impactLabel('critical', classes), major: impactLabel('major', classes), minor: impactLabel('minor', classes) };
}

const AVAILABILITY_FORMULA =
  'availability = 1 − weighted downtime ÷ counted time; counted time excludes time before the component existed and excused maintenance';

/** JSON has no Infinity: a 100% target that was missed spends an unbounded budget, shown as null with met = false. */
function finiteOrNull(value: number | null): number | null {
  return value !== null && Number.isFinite(value) ? value : null;
}

export function serialiseUptimeDocument(page: UptimePage) {
  const { compliance } = page.response;
  const window = monthInterval(page.month, page.site.timeZone);
  return {
    month: {
      key: page.month.key,
      label: page.month.label,
      start: iso(window.start),
      end: iso(window.end),
      in_progress: page.now < window.end,
    },
    previous_month: page.previous?.key ?? null,
    next_month: page.next?.key ?? null,
    time_zone: page.site.timeZone,
    formula: AVAILABILITY_FORMULA,
    components: page.rows.map((row) => ({
      slug: row.slug,
      name: row.name,
      group: row.groupName,
      sla_policy: row.policyName,
      availability: row.report.availability,
      target: row.report.target,
      met: row.report.met,
      counted_ms: row.report.countedMs,
      downtime_ms: row.report.downtimeMs,
      allowed_downtime_ms: row.report.allowedDowntimeMs === null ? null : Math.round(row.report.allowedDowntimeMs),
      error_budget_used: finiteOrNull(row.report.errorBudgetUsed),
      credit: row.report.credit === null ? null : { below: row.report.credit.below, credit_percent: row.report.credit.creditPercent },
    })),
    maintenance: page.maintenance.map((m) => ({
      id: m.id,
      title: m.title,
      status: m.status,
      scheduled_start: iso(m.scheduledStart),
      scheduled_end: iso(m.scheduledEnd),
      components: m.components.map((c) => ({ name: c.name, excused: c.excused, problems: c.problems })),
    })),
    response_compliance: {
      sla_policy: page.response.policyName,
      rules: page.response.rules,
      counted: compliance.counted,
      within: compliance.within,
      share: compliance.share,
      goal: compliance.goal,
      met: compliance.met,
      credit_rule: page.response.creditRule,
      credit: compliance.credit === null ? null : { below: compliance.credit.below, credit_percent: compliance.credit.creditPercent },
      class_labels: classLabelsOf(page.response.classLabels),
      by_impact: compliance.byImpact.map((b) => ({
        impact: b.impact,
        label: impactLabel(b.impact, page.response.classLabels),
        target_ms: b.targetMs,
        counted: b.counted,
        within: b.within,
        share: b.share,
      })),
      incidents: compliance.outcomes.map((o) => ({
        id: o.incident.id,
        title: o.incident.title,
        impact: o.impact,
        started_at: iso(o.incident.startedAt),
        first_update_at: o.incident.firstUpdateAt === null ? null : iso(o.incident.firstUpdateAt),
        target_ms: o.targetMs,
        time_to_first_update_ms: o.timeToFirstUpdateMs,
        detected_at: o.incident.detectedAt == null ? null : iso(o.incident.detectedAt),
        detection_to_first_update_ms: o.incident.detectedAt == null || o.incident.firstUpdateAt === null ? null : Math.max(0, o.incident.firstUpdateAt - o.incident.detectedAt),
        state: o.state,
      })),
    },
    policies: page.policies,
  };
}

export type UptimeDocument = ReturnType<typeof serialiseUptimeDocument>;

/** `month` is the query parameter (YYYY-MM, absent = current month); a bad one throws Invalid. */
export function getUptimeDocument(db: Db, month: string | null, now: number): UptimeDocument {
  return serialiseUptimeDocument(getUptimePage(db, parseUptimeMonth(month), now));
}
