// API tokens: created and revoked by owners only, audited without the secret, stored as a hash,
// resolved only while live, last use recorded at most once a minute.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as s from '../../db/schema.ts';
import { hashApiToken, listApiTokens, resolveApiToken, TOKEN_PREFIX } from '../../src/server/api-tokens.ts';
import { createApiToken, revokeApiToken } from '../../src/server/commands/api-tokens.ts';
import { Conflict, Forbidden, Invalid, NotFound } from '../../src/server/errors.ts';
import { EDITOR, OWNER, openCommandDb, thrown, type CommandDb } from '../support/command-db.ts';

const NOW = Date.UTC(2026, 10, 20, 9, 0);
let t: CommandDb;
beforeEach(() => (t = openCommandDb(NOW)));
afterEach(() => t.close());

const tokenRows = () => t.db.select().from(s.apiTokens).all();
const auditOf = (action: string) => t.db.select().from(s.auditLog).all().filter((r) => r.action === action);

describe('createApiToken', () => {
  it('returns a 256-bit secret with the candor_ prefix once, and stores only its SHA-256', () => {
    const created = createApiToken(t.db, OWNER, { name: 'Pager bot', scopes: ['read', 'incidents:write'] }, NOW);
    expect(created.token).toMatch(new RegExp(`^${TOKEN_PREFIX}[A-Za-z0-9_-]{43}$`));
    expect(created.scopes).toEqual(['incidents:write', 'read']);
    const [row] = tokenRows();
    expect(row!.tokenHash).toBe(hashApiToken(created.token));
    expect(row!.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(created.token.slice(TOKEN_PREFIX.length));
    const [audit] = auditOf('api_token.create');
    expect(JSON.parse(audit!.after!)).toEqual({ name: 'Pager bot', scopes: ['incidents:write', 'read'] });
    expect(JSON.stringify(audit)).not.toContain(created.token.slice(TOKEN_PREFIX.length, 20));
  });

  it('gives a different secret every time', () => {
    const a = createApiToken(t.db, OWNER, { name: 'A', scopes: ['read'] }, NOW);
    const b = createApiToken(t.db, OWNER, { name: 'B', scopes: ['read'] }, NOW);
    expect(a.token).not.toBe(b.token);
  });

  it('refuses a missing name, no scope or an unknown scope, field by field, writing nothing', () => {
    const before = t.counts();
    const error = thrown(() => createApiToken(t.db, OWNER, { name: '  ', scopes: [] }, NOW)) as Invalid;
    expect(error).toBeInstanceOf(Invalid);
    expect(Object.keys(error.fields).sort()).toEqual(['name', 'scopes']);
    const unknown = thrown(() => createApiToken(t.db, OWNER, { name: 'X', scopes: ['admin' as never] }, NOW)) as Invalid;
    expect(unknown.fields['scopes.0']).toMatch(/incidents:write, maintenance:write, config:write, subscribers:write and read/);
    expect(t.counts()).toEqual(before);
    expect(tokenRows()).toHaveLength(0);
  });

  it('refuses a second live token with the same name, allows it once the first is revoked', () => {
    const first = createApiToken(t.db, OWNER, { name: 'Bot', scopes: ['read'] }, NOW);
    expect((thrown(() => createApiToken(t.db, OWNER, { name: 'Bot', scopes: ['read'] }, NOW)) as Invalid).fields.name).toMatch(/already has this name/);
    revokeApiToken(t.db, OWNER, first.publicId, NOW);
    expect(createApiToken(t.db, OWNER, { name: 'Bot', scopes: ['read'] }, NOW).name).toBe('Bot');
  });

  it('is for owners only', () => {
    expect(thrown(() => createApiToken(t.db, EDITOR, { name: 'Mine', scopes: ['read'] }, NOW))).toBeInstanceOf(Forbidden);
    expect(tokenRows()).toHaveLength(0);
  });
});

describe('resolveApiToken and revokeApiToken', () => {
  it('resolves a live token, records the last use at most once a minute', () => {
    const { token } = createApiToken(t.db, OWNER, { name: 'Bot', scopes: ['maintenance:write'] }, NOW);
    expect(resolveApiToken(t.db, token, NOW + 1000)).toMatchObject({ name: 'Bot', scopes: ['maintenance:write'] });
    expect(tokenRows()[0]!.lastUsedAt).toBe(NOW + 1000);
    resolveApiToken(t.db, token, NOW + 30_000);
    expect(tokenRows()[0]!.lastUsedAt).toBe(NOW + 1000);
    resolveApiToken(t.db, token, NOW + 61_000);
    expect(tokenRows()[0]!.lastUsedAt).toBe(NOW + 61_000);
  });

  it('does not resolve unknown, mangled or revoked tokens', () => {
    const { token, publicId } = createApiToken(t.db, OWNER, { name: 'Bot', scopes: ['read'] }, NOW);
    expect(resolveApiToken(t.db, `${token}x`, NOW)).toBeNull();
    expect(resolveApiToken(t.db, token.slice(TOKEN_PREFIX.length), NOW)).toBeNull();
    expect(resolveApiToken(t.db, hashApiToken(token), NOW)).toBeNull();
    revokeApiToken(t.db, OWNER, publicId, NOW + 5);
    expect(resolveApiToken(t.db, token, NOW + 10)).toBeNull();
    const [audit] = auditOf('api_token.revoke');
    expect(audit).toMatchObject({ entityId: publicId, actorLabel: 'owner@example.test' });
    expect(listApiTokens(t.db)[0]).toMatchObject({ name: 'Bot', revokedAt: NOW + 5 });
  });

  it('refuses to revoke twice (409), an unknown token (404), and for non-owners (403)', () => {
    const { publicId } = createApiToken(t.db, OWNER, { name: 'Bot', scopes: ['read'] }, NOW);
    expect(thrown(() => revokeApiToken(t.db, EDITOR, publicId, NOW))).toBeInstanceOf(Forbidden);
    revokeApiToken(t.db, OWNER, publicId, NOW);
    expect(thrown(() => revokeApiToken(t.db, OWNER, publicId, NOW))).toBeInstanceOf(Conflict);
    expect(thrown(() => revokeApiToken(t.db, OWNER, 'nope', NOW))).toBeInstanceOf(NotFound);
  });
});

describe('what the public site can tell of staff changes', () => {
  it('moves the data version but not the last-change time the public Last-Modified shows', async () => {
    const { loadLastChangeAt } = await import('../../src/server/last-change.ts');
    const settings = () => t.db.select().from(s.siteSettings).get()!;
    const before = settings();
    const lastChange = loadLastChangeAt(t.db);
    const later = NOW + 3_600_000;
    const created = createApiToken(t.db, OWNER, { name: 'Pager bot', scopes: ['read'] }, later);
    revokeApiToken(t.db, OWNER, created.publicId, later);
    expect(settings().dataVersion).toBe(before.dataVersion + 2);
    expect(settings().updatedAt).toBe(before.updatedAt);
    expect(loadLastChangeAt(t.db)).toBe(lastChange);
  });
});
