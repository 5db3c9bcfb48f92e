// Write-API request bodies: JSON objects with snake_case names, ISO 8601 times with an offset,
// unknown names refused rather than ignored.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { camelizeKeys, convertInstants, parseIsoInstant, readJsonObject, toRequestField, unknownFields, BadBody } from '../../../src/server/write-api/body.ts';

const req = (body: string, type = 'application/json') => new Request('http://x/api/admin/x', { method: 'POST', body, headers: { 'Content-Type': type } });

describe('readJsonObject', () => {
  it('reads an object; an empty body is {}', async () => {
    expect(await readJsonObject(req('{"a":1}'))).toEqual({ a: 1 });
    expect(await readJsonObject(req('{"a":1}', 'application/json; charset=utf-8'))).toEqual({ a: 1 });
    expect(await readJsonObject(req('', 'text/plain'))).toEqual({});
  });

  it('refuses the wrong content type, broken JSON and non-objects', async () => {
    await expect(readJsonObject(req('{"a":1}', 'application/x-www-form-urlencoded'))).rejects.toThrow(/Content-Type: application\/json/);
    await expect(readJsonObject(req('{"a":'))).rejects.toThrow(/not valid JSON/);
    for (const body of ['[1]', '"text"', 'null', '42']) await expect(readJsonObject(req(body))).rejects.toBeInstanceOf(BadBody);
  });
});

describe('ISO 8601 instants', () => {
  it('needs a date, a time and an offset, and a real calendar date', () => {
    expect(parseIsoInstant('2026-11-20T09:15:00Z')).toBe(Date.UTC(2026, 10, 20, 9, 15));
    expect(parseIsoInstant('2026-11-20T10:15:00+01:00')).toBe(Date.UTC(2026, 10, 20, 9, 15));
    expect(parseIsoInstant('2026-11-20T09:15Z')).toBe(Date.UTC(2026, 10, 20, 9, 15));
    expect(parseIsoInstant('2026-11-20T09:15:00.250Z')).toBe(Date.UTC(2026, 10, 20, 9, 15, 0, 250));
    for (const bad of ['2026-11-20T09:15:00', '2026-11-20', '2026-02-30T00:00:00Z', '2026-13-01T00:00:00Z', '2026-11-20T24:00:00Z', 'yesterday', '1763630100000']) {
      expect(parseIsoInstant(bad), bad).toBeNull();
    }
  });

  it('converts the listed paths, reports bad ones by their request name, keeps null', () => {
    const body = { startedAt: '2026-11-20T09:00:00Z', mitigatedAt: null, periods: [{ startedAt: '2026-11-20T09:00:00Z', endedAt: 'soon' }, { startedAt: 5 }] };
    const problems = convertInstants(body, ['startedAt', 'mitigatedAt', 'periods.*.startedAt', 'periods.*.endedAt']);
    expect(body.startedAt).toBe(Date.UTC(2026, 10, 20, 9));
    expect(body.mitigatedAt).toBeNull();
    expect(Object.keys(problems).sort()).toEqual(['periods.0.ended_at', 'periods.1.started_at']);
    expect(problems['periods.0.ended_at']).toMatch(/"soon" is not a time/);
  });
});

describe('names', () => {
  const schema = z.object({ failoverComplete: z.boolean().default(false), components: z.array(z.object({ componentId: z.string() })).default([]) });

  it('maps snake_case requests to camelCase commands and error fields back', () => {
    expect(camelizeKeys({ failover_complete: true, components: [{ component_id: 'a' }] })).toEqual({ failoverComplete: true, components: [{ componentId: 'a' }] });
    expect(toRequestField('periods.0.startedAt')).toBe('periods.0.started_at');
    expect(toRequestField('form')).toBe('form');
  });

  it('refuses unknown names, camelCase spellings included, at any depth', () => {
    expect(unknownFields(schema, { failover_complete: true, components: [{ component_id: 'a' }] })).toEqual({});
    const problems = unknownFields(schema, { failoverComplete: true, failover_completed: true, components: [{ component_id: 'a', level: 'x' }] });
    expect(Object.keys(problems).sort()).toEqual(['components.0.level', 'failoverComplete', 'failover_completed']);
    expect(problems.failover_completed).toMatch(/Known fields here: failover_complete, components/);
  });
});
