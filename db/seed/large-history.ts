// Generated history for the large data set: incidents with their updates, component changes
// and impact periods, and maintenance windows — all from a seeded PRNG, so a run is
// reproducible apart from public ids.
import { newPublicId } from '../ids.ts';
import type { BatchInsert } from './batch-insert.ts';
import { DAY, HOUR, MIN } from './build.ts';

/** mulberry32: tiny, fast, good enough to spread synthetic events. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface Writers {
  incidents: BatchInsert;
  updates: BatchInsert;
  updateComponents: BatchInsert;
  periods: BatchInsert;
  maintenances: BatchInsert;
  maintenanceComponents: BatchInsert;
  maintenanceUpdates: BatchInsert;
}

export interface HistoryContext {
  random: () => number;
  w: Writers;
  componentIds: number[];
  /** Markdown and its rendered HTML, rendered once per distinct text. */
  body: (markdown: string) => [string, string];
}

type Impact = 'none' | 'minor' | 'major' | 'critical';
type Status = 'investigating' | 'identified' | 'monitoring' | 'resolved';
const TITLES = ['Elevated error rates', 'Delayed processing', 'Connection timeouts', 'Failed deliveries', 'Slow responses', 'Sign-in failures'];
const BODIES: Record<Status, string[]> = {
  investigating: ['We are investigating reports of errors.', 'Some requests **fail**. We are looking into it.'],
  identified: ['We found the cause and are deploying a fix.', 'A faulty release is being rolled back.'],
  monitoring: ['A fix is live; we are watching the results.', 'Service is recovering; queues are draining.'],
  resolved: ['All customers are back to normal.', 'Resolved. Thank you for your patience.'],
};

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
/** Exponentially distributed with the given mean, capped. */
const exp = (random: () => number, mean: number, cap: number) => Math.min(cap, Math.round(-Math.log(1 - random()) * mean));

function impactOf(r: number): Impact {
  if (r < 0.05) return 'none';
  if (r < 0.55) return 'minor';
  if (r < 0.85) return 'major';
  return 'critical';
}

function statusAt(index: number, count: number): Status {
  if (index === count - 1) return 'resolved';
  if (index === 0) return 'investigating';
  return index <= count / 2 ? 'identified' : 'monitoring';
}

/** One resolved incident starting at `startedAt`, with `updateCount` ≥ 2 public updates. */
export function addGeneratedIncident(ctx: HistoryContext, id: number, startedAt: number, updateCount: number, firstUpdateId: number): void {
  const { random, w } = ctx;
  const impact = impactOf(random());
  const firstUpdateAt = startedAt + 5 * MIN + exp(random, 40 * MIN, 10 * HOUR);
  const mitigatedAt = startedAt + 10 * MIN + exp(random, 90 * MIN, 12 * HOUR);
  // Most incidents end at mitigation; some leave customers affected for hours or days after.
  const impactEndedAt = mitigatedAt + (random() < 0.3 ? exp(random, 8 * HOUR, 3 * DAY) : 0);
  const resolvedAt = Math.max(impactEndedAt, firstUpdateAt) + 15 * MIN + Math.floor(random() * 45 * MIN);
  const affected = impact === 'none' ? [] : pickComponents(ctx, 1 + Math.floor(random() * 3));
  const periods = periodsOf(impact, startedAt, mitigatedAt, impactEndedAt);

  const times = Array.from({ length: updateCount }, (_, i) =>
    i === updateCount - 1 ? resolvedAt : firstUpdateAt + Math.floor(((resolvedAt - firstUpdateAt) * i) / (updateCount - 1)),
  );
  const monitoringAt = times.find((_, i) => statusAt(i, updateCount) === 'monitoring') ?? null;
  w.incidents.add([
    id, newPublicId(), `${pick(random, TITLES)} (#${id})`, impact, 'resolved', startedAt,
    impact === 'none' ? null : mitigatedAt, affected.length ? impactEndedAt : null, monitoringAt, resolvedAt, firstUpdateAt, resolvedAt,
  ]);
  times.forEach((at, i) => {
    const status = statusAt(i, updateCount);
    const [md, html] = ctx.body(pick(random, BODIES[status]));
    const updateId = firstUpdateId + i;
    w.updates.add([updateId, newPublicId(), id, 'update', status, md, html, at, at, at]);
    // Announced component changes: into the first level, and back to operational at the end.
    for (const componentId of affected) {
      if (i === 0) w.updateComponents.add([updateId, componentId, 'operational', periods[0]!.level]);
      if (i === updateCount - 1) w.updateComponents.add([updateId, componentId, periods.at(-1)!.level, 'operational']);
    }
  });
  for (const componentId of affected) {
    for (const p of periods) {
      w.periods.add([componentId, id, null, p.level, p.from, p.to, Math.max(p.from, firstUpdateAt), Math.max(p.to, firstUpdateAt)]);
    }
  }
}

function pickComponents(ctx: HistoryContext, count: number): number[] {
  const chosen = new Set<number>();
  while (chosen.size < Math.min(count, ctx.componentIds.length)) chosen.add(pick(ctx.random, ctx.componentIds));
  return [...chosen];
}

function periodsOf(impact: Impact, start: number, mitigated: number, end: number): { level: string; from: number; to: number }[] {
  if (impact === 'critical') {
    const periods = [{ level: 'major_outage', from: start, to: mitigated }];
    if (end > mitigated) periods.push({ level: 'partial_outage', from: mitigated, to: end });
    return periods;
  }
  return [{ level: impact === 'major' ? 'partial_outage' : 'degraded_performance', from: start, to: end }];
}

/** A completed window: usually announced a month ahead, sometimes late, sometimes overrunning. */
export function addGeneratedMaintenance(ctx: HistoryContext, id: number, scheduledStart: number): void {
  const { random, w } = ctx;
  const scheduledEnd = scheduledStart + HOUR + Math.floor(random() * 3) * HOUR;
  const announcedAt = scheduledStart - (random() < 0.8 ? 31 : 3) * DAY;
  const actualEnd = scheduledEnd + (random() < 0.2 ? 30 * MIN : -15 * MIN);
  w.maintenances.add([id, newPublicId(), `Planned maintenance #${id}`, 'completed', scheduledStart, scheduledEnd, scheduledStart, actualEnd, actualEnd - 10 * MIN, announcedAt, announcedAt, actualEnd]);
  for (const componentId of pickComponents(ctx, 1 + Math.floor(random() * 2))) {
    w.maintenanceComponents.add([id, componentId]);
    w.periods.add([componentId, null, id, 'under_maintenance', scheduledStart, actualEnd, scheduledStart, actualEnd]);
  }
  const steps: [string, number, string][] = [
    ['scheduled', announcedAt, 'We will carry out planned maintenance.'],
    ['in_progress', scheduledStart, 'Maintenance has started.'],
    ['completed', actualEnd, 'Maintenance is complete.'],
  ];
  for (const [status, at, text] of steps) {
    const [md, html] = ctx.body(text);
    w.maintenanceUpdates.add([newPublicId(), id, status, md, html, at, at, at]);
  }
}
