/**
 * user_activity of a suspect admin, and of a user an admin acted on (incident-responder review,
 * F-BREACH H1/M3): the events done TO the user by another (its role changed, its password reset:
 * object_type USER, object_id the user) are rows of its own, marked `subject`; each row carries
 * Domo's comment and the entry's authenticationMethod (only in `raw`). On DuckDB over a fixture
 * lake; sql-grammar.test.ts checks the same SQL parses as Trino's.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { EventRecord } from '../../functions/core/lake/event-record.ts';
import type { QueryRow } from '../../functions/core/ports.ts';
import { standardParams } from '../../functions/core/queries/query-params.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { userActivity } from './support/expected-investigation.ts';
import { useFixtureEngine } from './support/fixture-engine.ts';
import { event } from './support/lake-fixture.ts';

const FROM = Date.parse('2026-11-16T00:00:00Z');
const TO = Date.parse('2026-11-23T00:00:00Z');
const period = { instance: 'default', fromMs: FROM, toMs: TO };

const mallory = { user_id: '7', user_name: 'Mallory' };
const signIn = (time: string, method: string | undefined, fields: Partial<EventRecord> = {}) =>
  event(`2026-11-17 ${time}`, {
    ...mallory,
    action_type: 'LOGGED_IN',
    event_text: 'Logged in',
    object_type: 'USER',
    object_id: '7',
    object_name: 'Mallory',
    category: 'login',
    additional_comment: 'Mallory logged in.',
    raw: JSON.stringify(method === undefined ? { userId: 7 } : { userId: 7, authenticationMethod: method }),
    ...fields,
  });

const MAC_SAFARI =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15';
/** An entry of Quinn Baker's (40) with every field Domo fills, and its columns read from it. */
function served(time: string, fields: Record<string, string | number>): EventRecord {
  const entry = {
    time: Date.parse(`2026-11-18T${time}Z`),
    userId: 40,
    userName: 'Quinn Baker',
    userType: 'USER',
    actionType: 'VIEWED',
    eventText: 'Viewed card',
    objectType: 'CARD',
    objectId: '100',
    objectName: 'Revenue',
    additionalComment: 'Quinn Baker viewed card Revenue.',
    ipAddress: '203.0.113.40',
    device: 'Desktop',
    browserDetails: MAC_SAFARI,
    ...fields,
  };
  return event(`2026-11-18 ${time}`, {
    user_id: String(entry.userId),
    user_name: String(entry.userName),
    action_type: String(entry.actionType),
    additional_comment: String(entry.additionalComment),
    device: entry.device,
    browser_details: entry.browserDetails,
    raw: JSON.stringify(entry),
  });
}

const events: EventRecord[] = [
  // Mallory (7) signs in with a password, then changes Bo's (2) role and resets Ada's (1) password.
  signIn('10:00:00', 'PASSWORD'),
  event('2026-11-17 10:05:00', {
    ...mallory,
    action_type: 'UPDATED',
    event_text: 'Updated user role',
    object_type: 'USER',
    object_id: '2',
    object_name: 'Bo',
    additional_comment: 'Mallory changed the role of Bo from Participant to Admin.',
  }),
  event('2026-11-17 10:06:00', {
    ...mallory,
    action_type: 'RESET_PASSWORD',
    event_text: 'Reset password',
    object_type: 'user',
    object_id: '1',
    object_name: 'Ada',
  }),
  // Mallory acting as Ada adds her to a group: Ada's row (user), Mallory's (actor).
  event('2026-11-17 10:07:00', {
    user_id: '1',
    user_name: 'Ada',
    actor_id: '7',
    actor_name: 'Mallory',
    action_type: 'ADDED',
    object_type: 'GROUP',
    object_id: 'g1',
    object_name: 'Admins',
  }),
  // Bo signs in by SSO; a token sign-in of Bo's and one whose raw is no JSON object.
  signIn('11:00:00', 'SSO', { user_id: '2', user_name: 'Bo', object_id: '2', object_name: 'Bo' }),
  signIn('11:01:00', 'DEV_TOKEN', { user_id: '2', user_name: 'Bo', object_id: '2', object_name: 'Bo' }),
  signIn('11:02:00', undefined, { user_id: '2', user_name: 'Bo', object_id: '2', object_name: 'Bo' }),
  // Another user's card named like an id, and an object id of Bo's on an object of another type.
  event('2026-11-17 12:00:00', { user_id: '3', object_type: 'CARD', object_id: '2' }),
  // Ada named only in text: added to a group by another (its object the group), and her e-mail
  // typed at a failed sign-in that Domo tied to no user.
  event('2026-11-17 13:00:00', {
    user_id: '3',
    user_name: 'Cy',
    action_type: 'ADDED',
    object_type: 'GROUP',
    object_id: 'g2',
    object_name: 'Finance',
    additional_comment: 'Cy added Ada to group Finance.',
    raw: JSON.stringify({ userId: 3, additionalComment: 'Cy added Ada to group Finance.' }),
  }),
  event('2026-11-17 13:05:00', {
    user_id: '0',
    user_name: 'ADA@example.com',
    action_type: 'LOGIN_FAILED',
    object_type: 'USER',
    object_id: '0',
    category: 'login_failed',
    raw: JSON.stringify({ userId: 0, userName: 'ADA@example.com' }),
  }),
  // Other people's entries whole, as Domo serves them: the keys (time, eventText, device, userName,
  // additionalComment) and a browser string hold short names ("Tim", "Vic", "Mac", "Ari").
  served('09:00:00', {}),
  served('09:05:00', { additionalComment: 'Quinn Baker shared card Plan with ZOÉ DUPONT.' }),
  served('09:10:00', { userId: 0, userName: 'Ann.Lee@Acme.com', actionType: 'LOGIN_FAILED' }),
  served('09:15:00', { additionalComment: "Quinn Baker added O'Brien to group Sales." }),
];

const run = async (userId: string, named = ''): Promise<QueryRow[]> =>
  (await lake.engine.run('user_activity', { ...standardParams(period), user_id: userId, named })).rows;
/**
 * Entries the ingest could not read: one with the person's id, one naming them in capitals, one
 * neither, and one whose longer number holds the id (another user's).
 */
const quarantined = (minute: number, raw: object) => {
  const hour = Date.parse('2026-11-17T14:00:00Z');
  return {
    quarantine_id: String(minute).padStart(64, '0'),
    reason: 'entry has no time field',
    raw: JSON.stringify(raw),
    window_start_ms: hour,
    window_end_ms: hour + HOUR_MS,
    ingested_at: '2026-11-17T15:00:00.000Z',
    run_id: 'r1',
  };
};
const quarantine = [
  quarantined(1, { userId: 1039710626, userName: 'Lovelace' }),
  quarantined(2, { userId: 3, additionalComment: 'Cy shared card Plan with ADA LOVELACE.' }),
  quarantined(3, { userId: 1039710627, userName: 'Cy' }),
  quarantined(4, { userId: 10397106260, userName: 'Di' }),
];
const lake = useFixtureEngine('user-activity-involvement-', { events, quarantine });

const brief = (r: QueryRow) => [r.involvement, r.user_id, r.actor_id, r.action_type, r.object_id];

describe('user_activity lists what was done to the user, and how each sign-in was made', () => {
  it("lists a victim's role change by another admin as a subject row", async () => {
    const rows = await run('2');
    expect(rows.map(brief)).toEqual([
      ['subject', '7', '0', 'UPDATED', '2'],
      ['user', '2', '0', 'LOGGED_IN', '2'],
      ['user', '2', '0', 'LOGGED_IN', '2'],
      ['user', '2', '0', 'LOGGED_IN', '2'],
    ]);
    expect(rows[0]?.additional_comment).toBe('Mallory changed the role of Bo from Participant to Admin.');
    expect(rows.map((r) => r.authentication_method)).toEqual([null, 'SSO', 'DEV_TOKEN', null]);
  });

  it("tells the suspect's own rows, those as another and those done to them apart", async () => {
    expect((await run('7')).map(brief)).toEqual([
      ['user', '7', '0', 'LOGGED_IN', '7'],
      ['user', '7', '0', 'UPDATED', '2'],
      ['user', '7', '0', 'RESET_PASSWORD', '1'],
      ['actor', '1', '7', 'ADDED', 'g1'],
    ]);
    expect((await run('1')).map(brief)).toEqual([
      // The object type in any letter case, as data_movement reads Domo's types.
      ['subject', '7', '0', 'RESET_PASSWORD', '1'],
      ['user', '1', '7', 'ADDED', 'g1'],
    ]);
    expect((await run('7'))[0]).toMatchObject({
      authentication_method: 'PASSWORD',
      additional_comment: 'Mallory logged in.',
    });
  });

  it('equals the answer computed in TypeScript', async () => {
    for (const id of ['1', '2', '3', '7'])
      expect(await run(id)).toEqual(userActivity(events, period, id, 'UTC', 1000));
    expect(await run('1', 'ada')).toEqual(userActivity(events, period, '1', 'UTC', 1000, 'ada'));
  });

  it('with named, adds the events that name the user only in text, as named rows', async () => {
    // An access request asks for every record about the person: by id alone these two are missed.
    expect((await run('1')).map(brief)).toEqual([
      ['subject', '7', '0', 'RESET_PASSWORD', '1'],
      ['user', '1', '7', 'ADDED', 'g1'],
    ]);
    const rows = await run('1', 'ADA');
    expect(rows.map(brief)).toEqual([
      ['subject', '7', '0', 'RESET_PASSWORD', '1'],
      ['user', '1', '7', 'ADDED', 'g1'],
      ['named', '3', '0', 'ADDED', 'g2'],
      ['named', '0', '0', 'LOGIN_FAILED', '0'],
    ]);
    expect(rows.map((r) => r.total_rows)).toEqual([4, 4, 4, 4]);
  });
});

describe("user_activity's named matches whole words, not other people's entries", () => {
  // Review DPO (2026-12-08): named searched the whole entry, keys and browser string included, so
  // a short name listed nearly every event, and an access request handed over other people's.
  const namedOnly = async (named: string) => (await run('999', named)).map((r) => r.additional_comment);

  it.each(['Tim', 'Eve', 'Vic', 'Erna', 'Ona', 'Mac', 'Ari'])(
    '%s: in a key or a browser string, no event',
    async (named) => {
      expect(await namedOnly(named)).toEqual([]);
    },
  );

  it.each([
    ['Zoé Dupont', 'Quinn Baker shared card Plan with ZOÉ DUPONT.'],
    ['zoé', 'Quinn Baker shared card Plan with ZOÉ DUPONT.'],
    ["O'Brien", "Quinn Baker added O'Brien to group Sales."],
    ['ann.lee@acme.com', 'Quinn Baker viewed card Revenue.'],
  ])('%s: named in a text or typed at a sign-in, its event', async (named, comment) => {
    expect(await namedOnly(named)).toEqual([comment]);
  });

  it('equals the answer computed in TypeScript', async () => {
    for (const named of ['Tim', 'Mac', 'Zoé Dupont', "o'brien", 'ANN.LEE@ACME.COM', 'quinn baker', '(Zoé)'])
      expect(await run('999', named)).toEqual(userActivity(events, period, '999', 'UTC', 1000, named));
  });
});

describe('docs/operations.md "Handing over evidence" hands over the rows user_activity lists', () => {
  // Step 1's query of a user's rows, its id, instance and days those of the fixture: user_id alone
  // missed what a suspect admin did as others and what was done to the suspect.
  const docs = readFileSync(new URL('../../docs/operations.md', import.meta.url), 'utf8');
  const section = docs.slice(docs.indexOf('## Handing over evidence'));
  const stepOne = /^ {3}Q="(SELECT \* FROM activity_log .*)"$/m.exec(section)?.[1] ?? '';

  it.each(['7', '2', '1'])('the rows of user %s', async (id) => {
    const sql = stepOne
      .replaceAll('1375530043', id)
      .replace("instance = 'main'", "instance = 'default'")
      .replace("BETWEEN '2026-11-25' AND '2026-11-27'", "BETWEEN '2026-11-16' AND '2026-11-22'");
    expect(sql).toContain(`'${id}'`);
    const handed = (await lake.engine.runSql(sql, [], 'evidence')).rows.map((r) => r.event_id);
    expect(handed).toEqual((await run(id)).map((r) => r.event_id));
  });
});

describe("docs/privacy.md's access request finds the quarantined entries naming the person", () => {
  // Art. 15 (review DPO, 2026-12-08): the search matched the name as written, so an entry naming
  // them in other capitals was missed; it runs locally as on Athena.
  const privacy = readFileSync(new URL('../../docs/privacy.md', import.meta.url), 'utf8');
  const access = privacy.slice(privacy.indexOf('### Access (Art. 15)'), privacy.indexOf('### Erasure'));
  const sql = /`(SELECT \* FROM quarantine [^`]*)`/.exec(access)?.[1] ?? '';

  it('by id, not inside a longer number, and by name in any capitals', async () => {
    const asked = sql
      .replaceAll(/\s+/g, ' ')
      .replace("'<i>'", "'default'")
      .replace("'<from>'", "'2026-11-16'")
      .replace("'<to>'", "'2026-11-22'")
      .replace('<id>', '1039710626')
      .replace('<their name, lower case>', 'ada lovelace');
    expect(asked).not.toMatch(/<[a-z]/);
    const found = (await lake.engine.runSql(asked, [], 'access')).rows.map((r) => r.quarantine_id);
    expect(found.sort()).toEqual([quarantine[0]?.quarantine_id, quarantine[1]?.quarantine_id]);
  });
});
