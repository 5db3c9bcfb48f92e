// Each sender's recorded payload read into the one alert shape.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { impactOfSeverity, parseAlerts } from '../../../src/server/alerts/parse-alerts.ts';
import { Invalid } from '../../../src/server/errors.ts';

const NOW = Date.parse('2026-12-03T09:00:00Z');
const fixture = (name: string) => JSON.parse(fs.readFileSync(path.resolve('test/fixtures/alerts', name), 'utf8')) as unknown;

describe('parseAlerts', () => {
  it('reads Alertmanager v4: fingerprint, labels, summary and description; firing has no end', () => {
    expect(parseAlerts('alertmanager', fixture('alertmanager-firing.json'), NOW)).toEqual([
      {
        key: '5f2c7a9e1b3d4c60',
        firing: true,
        title: 'SMTP relay is refusing connections',
        summary: 'relay-1:25 has failed its probe for 3 minutes.',
        labels: { alertname: 'SMTPRelayDown', instance: 'relay-1:25', job: 'smtp', service: 'smtp', severity: 'critical' },
        startsAt: Date.parse('2026-12-03T07:42:10.000Z'),
        endsAt: null,
      },
    ]);
    expect(parseAlerts('alertmanager', fixture('alertmanager-resolved.json'), NOW)[0]).toMatchObject({ key: '5f2c7a9e1b3d4c60', firing: false, endsAt: Date.parse('2026-12-03T08:19:40.000Z') });
  });

  it('reads Grafana alerting', () => {
    expect(parseAlerts('grafana', fixture('grafana-firing.json'), NOW)).toEqual([
      expect.objectContaining({ key: 'a8f33c0d12e94b7f', firing: true, title: 'Webhook deliveries are failing', startsAt: Date.parse('2026-12-03T06:15:00Z'), labels: expect.objectContaining({ team: 'webhooks', severity: 'warning' }) }),
    ]);
  });

  it('reads Uptime Kuma heartbeats (UTC times), down fires and up clears; its test message records nothing', () => {
    expect(parseAlerts('uptime_kuma', fixture('uptime-kuma-down.json'), NOW)).toEqual([
      { key: 'monitor-7', firing: true, title: 'Admin console is down', summary: 'connect ECONNREFUSED 203.0.113.25:443', labels: { monitor: 'Admin console', url: 'https://console.example.com/health' }, startsAt: Date.parse('2026-12-03T05:01:12.418Z'), endsAt: null },
    ]);
    expect(parseAlerts('uptime_kuma', fixture('uptime-kuma-up.json'), NOW)[0]).toMatchObject({ key: 'monitor-7', firing: false, endsAt: Date.parse('2026-12-03T05:24:12.901Z') });
    expect(parseAlerts('uptime_kuma', fixture('uptime-kuma-test.json'), NOW)).toEqual([]);
  });

  it('reads the generic shape, one alert or a list', () => {
    const alerts = parseAlerts('generic', fixture('generic.json'), NOW);
    expect(alerts.map((a) => [a.key, a.firing, a.startsAt, a.endsAt])).toEqual([
      ['bounce-rate-high', true, Date.parse('2026-12-03T04:30:00Z'), null],
      ['stats-lag', false, Date.parse('2026-12-03T03:00:00Z'), Date.parse('2026-12-03T03:40:00Z')],
    ]);
    expect(parseAlerts('generic', { key: 'k', status: 'firing', title: 'T' }, NOW)[0]).toMatchObject({ startsAt: NOW, labels: {} });
  });

  it('never dates an alert in the future, and refuses a payload of another shape', () => {
    const future = { key: 'k', status: 'firing', title: 'T', started_at: '2027-01-01T00:00:00Z' };
    expect(parseAlerts('generic', future, NOW)[0]!.startsAt).toBe(NOW);
    expect(() => parseAlerts('alertmanager', fixture('uptime-kuma-down.json'), NOW)).toThrow(Invalid);
    expect(() => parseAlerts('generic', { key: 'k', status: 'firing', title: 'T', started_at: 'yesterday' }, NOW)).toThrow(/not a time/);
  });

  it('maps severities to impacts', () => {
    expect(['critical', 'warning', 'error', undefined].map(impactOfSeverity)).toEqual(['critical', 'minor', 'major', 'major']);
  });
});
