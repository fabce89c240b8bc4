/**
 * `alerts --expected <file>`: the expected-activity list for a local run. A sign-in alert a rule
 * matches is neither listed nor in the message, and the run says how many each rule quieted; a bad
 * file, or a rule naming a failure kind, is a usage error naming the flag.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { main } from '../../functions/cli/main.ts';
import type { EventRecord } from '../../functions/core/lake/event-record.ts';
import { activityKey, lakeTimestamp } from '../../functions/core/lake/layout.ts';
import { encodeNdjsonGzip } from '../../functions/core/lake/ndjson.ts';
import { DAY_MS, HOUR_MS } from '../../functions/core/time-units.ts';
import { ingestedHour } from '../core/alerts/support/alert-fixtures.ts';
import { login } from '../queries/support/lake-fixture.ts';
import { captureIo } from '../support/capture-io.ts';

const DAY0 = Date.parse('2026-10-29T00:00:00Z');
/** The hour of the two trips: 12 days of sign-ins from home before it. */
const HOUR = Date.parse('2026-11-10T10:00:00Z');
const clock = { now: () => HOUR + 3 * HOUR_MS };
const SVC = '1290485601';
const ANN = '1839254411';
const US = { ip_address: '73.9.9.9', ip_country: 'US', ip_asn: 7922, ip_org: 'Comcast' };
const signIn = (ms: number, user: string, place: Partial<EventRecord>) =>
  login(lakeTimestamp(ms).slice(0, 19), 'login', { user_id: user, user_name: user, ...place });
let dir: string;
let lake: string;
let rules: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-expected-'));
  lake = join(dir, 'lake');
  const store = new FsObjectStore(lake);
  for (let day = 0; day < 12; day++) {
    const morning = DAY0 + day * DAY_MS + 9 * HOUR_MS;
    await store.put(
      activityKey('acme', morning),
      encodeNdjsonGzip([signIn(morning + 60_000, SVC, US), signIn(morning + 120_000, ANN, US)]),
    );
  }
  // Both sign in from a new country: the backup job from AWS in Ireland, Ann from Japan.
  const trips = [
    signIn(HOUR + 60_000, SVC, {
      ip_address: '52.95.1.1',
      ip_country: 'IE',
      ip_asn: 16509,
      ip_org: 'Amazon',
    }),
    signIn(HOUR + 120_000, ANN, {
      ip_address: '133.242.0.1',
      ip_country: 'JP',
      ip_asn: 9370,
      ip_org: 'Sakura',
    }),
  ];
  await ingestedHour(store, HOUR, trips);
  rules = join(dir, 'expected.json');
  await writeFile(
    rules,
    JSON.stringify([
      { name: 'backup', user: SVC, ip: '52.95.0.0/16', reason: 'backup job from AWS' },
      // Past its until on the run's clock (2026-11-10): it quiets nothing, Ann's trip included.
      { user: ANN, reason: 'old', until: '2026-11-01' },
    ]),
  );
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function alerts(args: string[]) {
  const { io, stdout, stderr } = captureIo();
  const code = await main(['alerts', '--lake', lake, ...args], { ...io, clock });
  return { code, stdout: stdout(), stderr: stderr() };
}

describe('alerts --expected', () => {
  it('leaves out of the list and the message what a rule matches, and says how many it quieted', async () => {
    const out = join(dir, 'out-table');
    const run = await alerts(['--expected', rules, '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`(${ANN})`);
    expect(run.stdout).not.toContain(`(${SVC})`);
    expect(run.stdout).toContain(
      'quieted 2 alerts (1 login from a new country, 1 login from a new network owner) as expected activity, not listed: rule 1 ("backup"), backup job from AWS',
    );
    expect(run.stdout).toContain(
      'expected-activity rule 1 ("backup") has no until: it quiets its alerts for good',
    );
    expect(run.stdout).toContain(
      'expected-activity rule 2 expired at 2026-11-01: it quieted nothing; remove it or give it a later until',
    );
    const txt = await readFile(join(out, 'alerts.txt'), 'utf8');
    expect(txt).toContain(`(${ANN})`);
    expect(txt).not.toContain(`(${SVC})`);
  });

  it('keeps the JSON on stdout alone, the counts on stderr; without it, lists everything', async () => {
    const run = await alerts(['--expected', rules, '--format', 'json', '--out', join(dir, 'out-json')]);
    expect(run.code, run.stderr).toBe(0);
    // The quieted alerts follow the ones sent, each saying which rule quieted it (review R-MUTE L4).
    const listed = JSON.parse(run.stdout) as {
      user_id: string;
      event_time: string;
      quieted_by: string | null;
    }[];
    // Those quieted too give their time with its zone (utc-instants.ts), as those sent do.
    for (const a of listed) expect(a.event_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const sent = listed.filter((a) => a.user_id === ANN);
    const quieted = listed.filter((a) => a.user_id === SVC);
    expect(sent.length).toBeGreaterThan(0);
    expect(quieted.length).toBeGreaterThan(0);
    expect(listed.map((a) => [a.user_id, a.quieted_by])).toEqual([
      ...sent.map((a) => [a.user_id, null]),
      ...quieted.map((a) => [a.user_id, 'rule 1 ("backup"): backup job from AWS']),
    ]);
    expect(run.stderr).toContain(
      'warning: quieted 2 alerts (1 login from a new country, 1 login from a new network owner) as expected activity',
    );
    const all = await alerts(['--format', 'json', '--out', join(dir, 'out-none')]);
    const plain = JSON.parse(all.stdout) as { user_id: string }[];
    expect(new Set(plain.map((a) => a.user_id))).toEqual(new Set([ANN, SVC]));
    expect(plain.every((a) => !('quieted_by' in a))).toBe(true);
  });

  it('refuses a file with a bad rule, or none, naming the flag', async () => {
    const bad = join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify([{ kind: 'new_country', ip: '10.0.0.1/8', reason: 'r' }]));
    const run = await alerts(['--expected', bad, '--out', join(dir, 'out-bad')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--expected');
    expect(run.stderr).toContain(
      'expected-activity rule 1: "10.0.0.1/8" has bits set past its /8: write the network as 10.0.0.0/8',
    );
    const missing = await alerts(['--expected', join(dir, 'nope.json'), '--out', join(dir, 'out-missing')]);
    expect(missing.code).toBe(2);
    await writeFile(bad, JSON.stringify([{ kind: 'lockout', user: SVC, reason: 'r' }]));
    const failures = await alerts(['--expected', bad, '--out', join(dir, 'out-failure-kind')]);
    expect(failures.code).toBe(2);
    expect(failures.stderr).toContain('--expected');
    expect(failures.stderr).toContain(
      '"kind" names lockout: failed sign-ins, lockouts, password sprays and logins after them are never quieted',
    );
    expect(missing.stderr).toContain('cannot read the file (ENOENT)');
    await writeFile(bad, '[{"kind": "new_country",');
    const notJson = await alerts(['--expected', bad, '--out', join(dir, 'out-not-json')]);
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toContain('not valid JSON');
  });

  it('reads a file saved with a byte order mark, and warns of an until more than a year away', async () => {
    const file = join(dir, 'bom.json');
    const list = [{ name: 'backup', user: SVC, ip: '52.95.0.0/16', reason: 'backup', until: '2028-01-01' }];
    await writeFile(file, `\uFEFF${JSON.stringify(list)}`);
    const run = await alerts(['--expected', file, '--out', join(dir, 'out-bom')]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(
      'quieted 2 alerts (1 login from a new country, 1 login from a new network owner) as expected activity',
    );
    expect(run.stdout).toContain(
      'expected-activity rule 1 ("backup") runs until 2028-01-01, more than a year away: as good as for good',
    );
  });
});
