// Issue 12, findings 7 and 12 at the command level: markdown that used to overflow marked's stack
// or stall the server is refused with a message for the field and nothing written; names and
// titles lose their spoofing characters before they are stored.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import * as s from '../../db/schema.ts';
import { nameText } from '../../src/server/commands/config-input.ts';
import { openIncident } from '../../src/server/commands/open-incident.ts';
import { Invalid } from '../../src/server/errors.ts';
import { EDITOR, openCommandDb, thrown, type CommandDb } from '../support/command-db.ts';

const now = Date.UTC(2026, 5, 10, 12, 0);
let c: CommandDb;
beforeEach(() => {
  c = openCommandDb(now);
});
afterEach(() => c.close());

describe('hostile markdown', () => {
  it.each([
    ['quotes 10,000 deep', '>'.repeat(10_000) + ' x', /nested more than 16 levels/],
    ['a list 6,666 deep', '- '.repeat(6_666) + 'x', /nested more than 16 levels/],
    ['6,600 emphasis pairs', '_a_'.repeat(6_600), /13,200 \* and _ characters/],
  ])('refuses %s with a message on the field and writes nothing', (_, message, expected) => {
    const before = c.counts();
    const error = thrown(() => openIncident(c.db, EDITOR, { title: 'Mail delayed', impact: 'minor', message }, now));
    expect(error).toBeInstanceOf(Invalid);
    expect((error as Invalid).fields.message).toMatch(expected);
    expect(c.counts()).toEqual(before);
  });
});

describe('spoofing characters in names and titles', () => {
  it('stores titles without bidi overrides or zero-width characters', () => {
    const { publicId } = openIncident(c.db, EDITOR, { title: 'Payments \u202Edetaler\u202C\u200B outage', impact: 'minor', message: 'Looking into it.' }, now);
    const row = c.db.select().from(s.incidents).where(eq(s.incidents.publicId, publicId)).get()!;
    expect(row.title).toBe('Payments detaler outage');
  });

  it('cleans names, and a name of nothing but invisible characters is missing', () => {
    expect(nameText('component').parse('\u2067API\u2069\u200D')).toBe('API');
    expect(nameText('component').safeParse('\u200B\u202E').success).toBe(false);
  });
});
