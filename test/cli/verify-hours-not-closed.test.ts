import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import {
  TODAY_START as day0,
  TODAY_INGESTED_AT as ingestedAt,
  TODAY,
  todayLake,
  verifyAt as verifyAtLake,
} from '../support/verify-today-lake.ts';

let dir: string;
let lake: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'verify-not-closed-'));
  lake = join(dir, 'lake');
  const summary = await todayLake(lake);
  expect(summary.failures).toEqual([]);
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

async function verifyAt(nowMs: number, argv: string[]) {
  return verifyAtLake(lake, nowMs, argv);
}

describe('verify over hours not yet closed', () => {
  it('checks "today" up to the newest hour that can be pulled, says so, and passes', async () => {
    const r = await verifyAt(day0 + 10 * HOUR_MS + 52 * 60_000, TODAY);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(': 2026-12-02 00:00Z .. 2026-12-02 10:00Z\n');
    expect(r.stdout).toContain(
      '  --to 2026-12-03 00:00Z is not closed yet: checked up to 2026-12-02 10:00Z, where the newest hour that can be pulled ends (windows must end 15 min before now)\n',
    );
    expect(r.stdout).toContain('  hours covered: 10 of 10\n');
    expect(r.stdout).not.toContain('gap');
    expect(r.stdout.endsWith('  OK\n')).toBe(true);
  });

  it('says the clip in --json too', async () => {
    const r = await verifyAt(day0 + 10 * HOUR_MS + 52 * 60_000, [...TODAY, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({
      fromMs: day0,
      toMs: day0 + 10 * HOUR_MS,
      windowsExpected: 10,
      ok: true,
      clipped: { requestedToMs: day0 + 24 * HOUR_MS, settleMinutes: 15 },
    });
  });

  it('leaves a range of closed hours unclipped', async () => {
    const r = await verifyAt(day0 + 10 * HOUR_MS + 52 * 60_000, [
      '--from',
      '2026-12-02',
      '--to',
      '2026-12-02T10:00:00Z',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).not.toHaveProperty('clipped');
  });

  it('still reports a closed hour past the watermark that no run pulled as the gap it is', async () => {
    // 11:20: 10:00-11:00 has settled and no run pulled it.
    const r = await verifyAt(day0 + 11 * HOUR_MS + 20 * 60_000, TODAY);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('  --to 2026-12-03 00:00Z is not closed yet: checked up to 2026-12-02 11:00Z');
    expect(r.stdout).toContain('  gap: 2026-12-02 10:00Z .. 2026-12-02 11:00Z\n');
    expect(r.stdout).toContain('  1 hour(s) at or after the watermark are not covered');
  });

  it('judges settled hours by --settle-minutes, as ingest does', async () => {
    // 11:10: with the default 15 min, 10:00-11:00 is not pullable yet; with 5 min it is, and a gap.
    const now = day0 + 11 * HOUR_MS + 10 * 60_000;
    expect((await verifyAt(now, TODAY)).code).toBe(0);
    const r = await verifyAt(now, [...TODAY, '--settle-minutes', '5']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('(windows must end 5 min before now)');
    expect(r.stdout).toContain('  gap: 2026-12-02 10:00Z .. 2026-12-02 11:00Z\n');
  });

  it('passes "today" just after midnight, when none of its hours is closed yet, and says so', async () => {
    // 00:35 the next day: the newest hour that can be pulled ends at 00:00, where the range begins.
    const tomorrow = ['--from', '2026-12-03', '--to', '2026-12-04'];
    const r = await verifyAt(day0 + 24 * HOUR_MS + 35 * 60_000, tomorrow);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      '  no hour from 2026-12-03 00:00Z on has closed yet: nothing to check; the closed hours end at 2026-12-03 00:00Z (windows must end 15 min before now)\n',
    );
    expect(r.stdout.endsWith('  OK\n')).toBe(true);
    // 3 minutes into an hour the closed hours end an hour before it: that end is named, not --from.
    const justBegun = await verifyAt(day0 + 11 * HOUR_MS + 3 * 60_000, [
      '--from',
      '2026-12-02T11:00:00Z',
      '--to',
      '2026-12-02T12:00:00Z',
    ]);
    expect(justBegun.code, justBegun.stderr).toBe(0);
    expect(justBegun.stdout).toContain(
      '  no hour from 2026-12-02 11:00Z on has closed yet: nothing to check; the closed hours end at 2026-12-02 10:00Z',
    );
    const json = await verifyAt(day0 + 24 * HOUR_MS + 35 * 60_000, [...tomorrow, '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ windowsExpected: 0, ok: true });
  });

  it('refuses a range wholly in the future (exit 2), naming the newest hour that can be pulled', async () => {
    const r = await verifyAt(day0 + 10 * HOUR_MS + 52 * 60_000, [
      '--from',
      '2099-11-27',
      '--to',
      '2099-11-28',
    ]);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toContain(
      'error: --from 2099-11-27T00:00:00.000Z is not closed yet: the newest hour that can be pulled ends at 2026-12-02T10:00:00.000Z (windows must end 15 min before now)',
    );
  });

  it('refuses --settle-minutes without --from/--to, where it would change nothing', async () => {
    const r = await verifyAt(ingestedAt, ['--settle-minutes', '5']);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toBe(
      'error: --settle-minutes judges the hours of --from/--to: use it with them (see: verify --help)\n',
    );
  });

  it('refuses a bad --settle-minutes as ingest does', async () => {
    const r = await verifyAt(ingestedAt, [...TODAY, '--settle-minutes', '-1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: --settle-minutes "-1" must be a whole number from 0 to 240/);
  });
});
