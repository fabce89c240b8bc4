/**
 * The demo plants its patterns in the week it reports and alerts on, whatever --days: with a
 * --days that held no full ISO week (under 13 or so, by the weekday) the simulator planted them in
 * the range's last seven days, after the report week, and the demo's report and alerts found none
 * of them (review R-USER 1).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  demoCommand,
  exploreMovementArgs,
  exploreTakeoverArgs,
  partWeekNote,
} from '../../functions/cli/commands/demo.ts';
import { queryCommand } from '../../functions/cli/commands/query.ts';
import { pastedCommandLines } from '../../functions/cli/pasted-command.ts';
import { silentLog } from '../../functions/core/ports.ts';
import { lastFullWeek } from '../../functions/core/report/iso-week.ts';
import { generateInstance } from '../../functions/simulator/synthetic-instance.ts';
import { captureIoAt, clockFrom } from '../support/clock-from.ts';

const DAY = 86_400_000;
/**
 * The company of every simulation here: where the stories go depends on --days and the weekday, not
 * on the company's size, and 22 people are the fewest for whom the seed plants every kind of story
 * the demo's default 40 do in these weeks (the spray's 12-16 accounts and the leaver, a user of no
 * other story, among them; 20 leave out the 9-day demo's leaver); 40 are ~1.8 times the events.
 */
const USERS = 22;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-demo-planted-week-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the planted week', () => {
  it('is the report week, in its time zone, for a few --days across weekdays', () => {
    const cases = [
      { now: '2026-12-05T22:35:00Z', days: 9, zone: 'UTC' }, // Saturday: the review's repro
      // Wednesday: only the week's weekend is in range, where no story of a workday fits.
      { now: '2026-10-07T12:00:00Z', days: 4, zone: 'UTC', none: true },
      { now: '2026-11-30T03:00:00Z', days: 8, zone: 'UTC' }, // Monday, just after the week
      { now: '2026-11-27T09:00:00Z', days: 12, zone: 'America/Los_Angeles' }, // Friday
      { now: '2026-11-29T20:00:00Z', days: 28, zone: 'Pacific/Auckland' }, // Sunday; Monday there
    ];
    for (const c of cases) {
      const nowMs = Date.parse(c.now);
      const week = lastFullWeek(nowMs, c.zone);
      const toMs = nowMs;
      const fromMs = Math.floor(nowMs / 3_600_000) * 3_600_000 - c.days * DAY;
      const { planted } = generateInstance({
        seed: 42,
        fromMs,
        toMs,
        users: USERS,
        plantingWeek: { startMs: week.startMs, endMs: week.endMs },
      });
      const stories = planted.filter((p) => p.kind !== 'failed_login');
      if (!('none' in c)) expect(stories.length, c.now).toBeGreaterThan(0);
      for (const p of stories) {
        expect(p.timeMs, `${c.now} ${p.kind}`).toBeGreaterThanOrEqual(Math.max(week.startMs, fromMs));
        expect(p.timeMs, `${c.now} ${p.kind}`).toBeLessThan(week.endMs);
      }
    }
  });

  it('is said to be held only in part, or not at all, when --days is short of it', () => {
    const week = lastFullWeek(Date.parse('2026-12-05T22:35:00Z'), 'UTC');
    const from = Date.parse('2026-12-05T22:00:00Z') - 9 * DAY;
    expect(partWeekNote(9, from, week)).toBe(
      'note: --days 9 holds only part of the report week 2026-W48 (from 2026-11-26 22:00 UTC on): the patterns are planted in that part, those that fit; --days 13 holds the whole week, --days 27 holds the whole week and the 14 days of sign-in history before it that the new-country, new-network and unusual-hour checks need (10 sign-ins a user)',
    );
    // Review R-CLI F3: the whole week without three weeks or so of history misses the history checks.
    expect(partWeekNote(17, from - 8 * DAY, week)).toBe(
      'note: --days 17 holds the report week 2026-W48 but only 4 day(s) of sign-in history before it: the new-country, new-network and unusual-hour alerts may miss the patterns planted for them; --days 27 holds the whole week and the 14 days of sign-in history before it that the new-country, new-network and unusual-hour checks need (10 sign-ins a user)',
    );
    expect(partWeekNote(27, from - 18 * DAY, week)).toBeUndefined();
    expect(partWeekNote(28, from - 19 * DAY, week)).toBeUndefined();
    const tuesday = lastFullWeek(Date.parse('2026-12-01T12:10:00Z'), 'UTC');
    expect(partWeekNote(1, Date.parse('2026-11-30T12:00:00Z'), tuesday)).toBe(
      'note: --days 1 holds none of the report week 2026-W48: no pattern is planted, so the report and alerts find none; --days 9 holds the whole week, --days 23 holds the whole week and the 14 days of sign-in history before it that the new-country, new-network and unusual-hour checks need (10 sign-ins a user)',
    );
  });
});

describe('demo --days 9 on a Saturday (the review repro)', () => {
  it("reports the alerts it planted, in the report week's range", async () => {
    const { io, stdout } = captureIoAt(clockFrom(Date.parse('2026-12-05T22:35:00Z')));
    const lake = join(dir, 'lake');
    const args = ['--lake', lake, '--out', join(dir, 'out'), '--days', '9', '--users', String(USERS)];
    const run = await demoCommand(args, { ...io, log: silentLog });
    expect(run.report.model.week.isoWeek).toBe('2026-W48');
    const weekEnd = Date.parse(run.report.model.week.endUtc);
    const { raised } = run.alerts.summary;
    expect(raised.length).toBeGreaterThan(0);
    for (const alert of raised) expect(alert.event_time_ms).toBeLessThan(weekEnd);
    expect(stdout()).toContain('note: --days 9 holds only part of the report week 2026-W48');
    expect(stdout()).not.toContain('alerts from 2026-11-23 00:00 to 2026-11-30 00:00 UTC: none');
    // The leaver is planted in the report week: the default period (the 7 days up to today) would
    // miss most of it, so the Explore lines name the week (review: the docs' commands missed it).
    const week = lastFullWeek(Date.parse('2026-12-05T22:35:00Z'), 'UTC');
    const { planted } = generateInstance({
      seed: 42,
      fromMs: Date.parse('2026-12-05T22:00:00Z') - 9 * DAY,
      toMs: Date.parse('2026-12-05T22:35:00Z'),
      users: USERS,
      plantingWeek: { startMs: week.startMs, endMs: week.endMs },
      leaverDeactivated: true,
    });
    const leaver = planted.find((p) => p.kind === 'leaver');
    expect(leaver).toBeDefined();
    // The leaver's access token is an alert: every kind watched sign-ins only (review R-INSIDER);
    // and so is its renewal after the leaver was deactivated (the demo opts in, 2026-12-07).
    expect(
      raised
        .filter((a) => a.kind === 'privileged_change' && a.user_id === leaver?.userId)
        .map((a) => a.evidence),
    ).toEqual([
      expect.stringMatching(/^Access token created: ACCESS_TOKEN "\S+ sync" \(id \d+\); /),
      expect.stringMatching(/^Access token updated: ACCESS_TOKEN "\S+ sync" \(id \d+\); /),
    ]);
    // The token acting in the deactivated leaver's name is the activity_after_deactivation alert.
    expect(
      raised.filter((a) => a.kind === 'activity_after_deactivation').map((a) => [a.user_id, a.event_ids[0]]),
    ).toEqual([[leaver?.userId, expect.any(String)]]);
    expect(leaver?.kind === 'leaver' && leaver.evidence.deactivation).toBeTruthy();
    // They name the demo's lake, as its report line does: query's default, ./lake, is not it.
    expect(stdout()).toContain(`query data_movement --lake ${lake} --from 2026-11-23 --to 2026-11-30\n`);
    expect(stdout()).toContain(
      `query user_activity --param user_id=${leaver?.userId} --lake ${lake} --from 2026-11-23 --to 2026-11-30\n`,
    );
    // And each runs as printed, showing the leaver.
    for (const line of stdout()
      .split('\n')
      .filter((l) => / query (data_movement|user_activity) /.test(l))) {
      const words = line.trim().split(/\s+/);
      const argv = words.slice(words.indexOf('query') + 1);
      const shown = captureIoAt(clockFrom(Date.parse('2026-12-05T22:35:00Z')));
      const ran = await queryCommand(argv, { ...shown.io, log: silentLog });
      expect(
        ran?.result.rows.some((r) => r.user_id === leaver?.userId),
        line,
      ).toBe(true);
    }
    // The stolen password's lines too: what the intruder changed, and all that came from their address.
    const stolen = planted.find((p) => p.kind === 'impossible_travel');
    expect(stolen).toBeDefined();
    expect(stdout()).toContain(`query admin_changes --lake ${lake} --from 2026-11-23 --to 2026-11-30\n`);
    expect(stdout()).toContain(
      `query address_activity --param address=${stolen?.evidence.ipAddress} --lake ${lake} --from 2026-11-23 --to 2026-11-30\n`,
    );
    for (const line of stdout()
      .split('\n')
      .filter((l) => / query (admin_changes|address_activity) /.test(l))) {
      const words = line.trim().split(/\s+/);
      const shown = captureIoAt(clockFrom(Date.parse('2026-12-05T22:35:00Z')));
      const ran = await queryCommand(words.slice(words.indexOf('query') + 1), {
        ...shown.io,
        log: silentLog,
      });
      expect(
        ran?.result.rows.some(
          (r) => r.user_id === stolen?.userId && r.ip_address === stolen?.evidence.ipAddress,
        ),
        line,
      ).toBe(true);
    }
  }, 120_000);
});

/** The stories the demo's seed plants in `week`, with three weeks of history before it. */
function plantedAround(week: { startMs: number; endMs: number }) {
  return generateInstance({
    seed: 42,
    fromMs: week.startMs - 20 * DAY,
    toMs: week.endMs + DAY,
    users: USERS,
    plantingWeek: { startMs: week.startMs, endMs: week.endMs },
  }).planted;
}

describe("the demo's data movement commands", () => {
  it("name the report week in its zone, and the leaver's user only when one was planted", () => {
    const week = lastFullWeek(Date.parse('2026-12-05T22:35:00Z'), 'Europe/Paris');
    const period = [
      '--lake',
      '/tmp/x',
      '--from',
      '2026-11-23T00:00:00+01:00',
      '--to',
      '2026-11-30T00:00:00+01:00',
    ];
    expect(exploreMovementArgs(week, [], '/tmp/x')).toEqual([['query', 'data_movement', ...period]]);
    const planted = plantedAround(week);
    const leaver = planted.find((p) => p.kind === 'leaver');
    expect(exploreMovementArgs(week, planted, '/tmp/x')[1]).toEqual([
      'query',
      'user_activity',
      '--param',
      `user_id=${leaver?.userId}`,
      ...period,
    ]);
  });
});

describe("the demo's stolen-password commands", () => {
  it("name the report week, and the intruder's address and the account's only when a stolen password was planted", () => {
    const week = lastFullWeek(Date.parse('2026-12-05T22:35:00Z'), 'UTC');
    const period = ['--lake', '/tmp/x', '--from', '2026-11-23', '--to', '2026-11-30'];
    expect(exploreTakeoverArgs(week, [], '/tmp/x')).toEqual([['query', 'admin_changes', ...period]]);
    const planted = plantedAround(week);
    const stolen = planted.find((p) => p.kind === 'impossible_travel');
    const args = exploreTakeoverArgs(week, planted, '/tmp/x');
    expect(args[1]).toEqual([
      'query',
      'address_activity',
      '--param',
      `address=${stolen?.evidence.ipAddress}`,
      ...period,
    ]);
    // And the stolen account's addresses: its id printed, which the runbook's commands take.
    expect(args[2]).toEqual(['query', 'user_addresses', '--param', `user_id=${stolen?.userId}`, ...period]);
    // At 80 columns each is one option a line, none wider.
    for (const command of args) {
      for (const line of pastedCommandLines(command, 80)) expect(line.length).toBeLessThanOrEqual(80);
    }
  });
});
