import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import * as s from '../../db/schema.ts';
import { Conflict, Forbidden, Invalid } from '../../src/server/errors.ts';
import { openIncident } from '../../src/server/commands/open-incident.ts';
import { postIncidentUpdate } from '../../src/server/commands/post-incident-update.ts';
import { resolveIncident } from '../../src/server/commands/resolve-incident.ts';
import { publishPostmortem, savePostmortemDraft } from '../../src/server/commands/postmortems.ts';
import { getIncidentPage } from '../../src/server/incident-page.ts';
import { loadPublishedPostmortems } from '../../src/server/postmortems.ts';
import { EDITOR, VIEWER, openCommandDb, thrown, type CommandDb } from '../support/command-db.ts';

const HOUR = 3_600_000;
const now = Date.UTC(2026, 5, 10, 12, 0);

let c: CommandDb;
let incident: string;
beforeEach(() => {
  c = openCommandDb(now);
  incident = openIncident(c.db, EDITOR, { title: 'Outage', impact: 'major', message: 'Looking.', startedAt: now - 3 * HOUR }, now - 2 * HOUR).publicId;
});
afterEach(() => c.close());

const incidentId = () => c.db.select().from(s.incidents).where(eq(s.incidents.publicId, incident)).get()!.id;
const postmortem = () => c.db.select().from(s.postmortems).where(eq(s.postmortems.incidentId, incidentId())).get();
function resolve() {
  postIncidentUpdate(c.db, EDITOR, incident, { status: 'monitoring', message: 'ok', customersRestored: true }, now - HOUR);
  resolveIncident(c.db, EDITOR, incident, { message: 'Done.', verifiedEndToEnd: true }, now - HOUR);
}

describe('post-mortems', () => {
  it('keeps drafts private, even while the incident is open', () => {
    savePostmortemDraft(c.db, EDITOR, incident, { body: '## What happened\nA <script>alert(1)</script> draft.' }, now);
    savePostmortemDraft(c.db, EDITOR, incident, { body: '## What happened\nA better draft.' }, now + 1);
    expect(postmortem()).toMatchObject({ status: 'draft', bodyMd: '## What happened\nA better draft.', publishedAt: null });
    expect(postmortem()!.bodyHtml).toBe('<h3>What happened</h3>\n<p>A better draft.</p>\n');
    expect(loadPublishedPostmortems(c.db, [incidentId()]).size).toBe(0);
    expect(getIncidentPage(c.db, incident, now).postmortem).toBeNull();
  });

  it('publishes only once the incident is resolved, then shows it on the incident page', () => {
    const before = c.counts();
    expect(thrown(() => publishPostmortem(c.db, EDITOR, incident, { body: 'Too early.' }, now))).toBeInstanceOf(Conflict);
    expect(c.counts()).toEqual(before);
    resolve();
    savePostmortemDraft(c.db, EDITOR, incident, { body: 'Draft.' }, now);
    publishPostmortem(c.db, EDITOR, incident, { body: 'Root cause: *power*.' }, now + HOUR);
    expect(postmortem()).toMatchObject({ status: 'published', publishedAt: now + HOUR, bodyHtml: '<p>Root cause: <em>power</em>.</p>\n' });
    expect(getIncidentPage(c.db, incident, now + HOUR).postmortem).toEqual({ bodyHtml: '<p>Root cause: <em>power</em>.</p>\n', publishedAt: now + HOUR, updatedAt: now + HOUR });
  });

  it('updates a published text in place, keeping its first publication date; drafts cannot unpublish it', () => {
    resolve();
    publishPostmortem(c.db, EDITOR, incident, { body: 'First.' }, now);
    publishPostmortem(c.db, EDITOR, incident, { body: 'Second, with a typo fixed.' }, now + HOUR);
    expect(postmortem()).toMatchObject({ status: 'published', publishedAt: now, updatedAt: now + HOUR, bodyMd: 'Second, with a typo fixed.' });
    const before = c.counts();
    expect(thrown(() => savePostmortemDraft(c.db, EDITOR, incident, { body: 'Oops.' }, now + 2 * HOUR))).toBeInstanceOf(Conflict);
    expect(c.counts()).toEqual(before);
  });

  it('refuses empty bodies and viewers', () => {
    resolve();
    const empty = thrown(() => publishPostmortem(c.db, EDITOR, incident, { body: '' }, now));
    expect((empty as Invalid).fields).toEqual({ body: 'Write the post-mortem; it cannot be empty.' });
    expect(thrown(() => savePostmortemDraft(c.db, VIEWER, incident, { body: 'x' }, now))).toBeInstanceOf(Forbidden);
    expect(postmortem()).toBeUndefined();
  });
});
