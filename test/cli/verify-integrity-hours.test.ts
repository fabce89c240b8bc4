import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { main } from '../../functions/cli/main.ts';
import { activityKey, coverageKey } from '../../functions/core/lake/layout.ts';
import { DAY_MS, HOUR_MS } from '../../functions/core/time-units.ts';
import { captureIo } from '../support/capture-io.ts';
import { ingestSixHours, SIX_HOURS_DAY0 } from '../support/six-hours-ingest.ts';
import { lakeCopy, pathOf } from '../support/verify-lake-copy.ts';

// Evidence handed over as a copy of some hours and the whole digest chain: `verify --integrity
// --from/--to` compares only the objects of those hours, checks the chain whole, and says how many
// objects the chain lists elsewhere were not checked; without --from/--to every one is looked for.

const day0 = SIX_HOURS_DAY0;
let dir: string;
let clean: string;
/** The objects of the day before, which the first run's backfill covered: outside every range here. */
let dayBefore: number;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'verify-integrity-hours-'));
  clean = join(dir, 'clean');
  await ingestSixHours(new FsObjectStore(clean));
  const files = await readdir(clean, { recursive: true });
  dayBefore = files.filter((file) => /dt=2026-09-30\/.+\./.test(file)).length;
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

const hours = ['--from', '2026-10-01T02:00:00Z', '--to', '2026-10-01T04:00:00Z'];

async function verify(lake: string, ...more: string[]) {
  const io = captureIo();
  const args = ['verify', '--lake', lake, '--instance', 'acme', '--integrity', ...more];
  return { code: await main(args, io.io), stdout: io.stdout() };
}

describe('verify --integrity --from/--to', () => {
  it("passes on a lake without the days before the range's, saying how many are not there and not looked for", async () => {
    const lake = await lakeCopy(clean, dir, 'without-day-before');
    await rm(join(lake, 'activity_log', 'instance=acme', 'dt=2026-09-30'), { recursive: true, force: true });
    await rm(join(lake, 'coverage', 'instance=acme', 'dt=2026-09-30'), { recursive: true, force: true });
    await rm(join(lake, 'quarantine', 'instance=acme', 'dt=2026-09-30'), { recursive: true, force: true });
    const ranged = await verify(lake, ...hours);
    expect(dayBefore).toBeGreaterThan(0);
    expect(ranged.stdout).toContain(
      `  objects compared: every object held, and the whole chain; looked for: those the chain lists for the days 2026-10-01 .. 2026-10-01 (the range's); ${dayBefore} object(s) it lists for other days are not there, not looked for (docs/guarantees.md §6)\n`,
    );
    expect(ranged.stdout).not.toContain('missing:');
    expect(ranged.stdout).toMatch(
      new RegExp(
        `\n  OK \\(the range's days only: ${dayBefore} object\\(s\\) the chain lists for other days are not there, not looked for; consistency only: the chain is unsigned and no noted head was given \\(--expect-head\\)\\)\n$`,
      ),
    );
    expect(ranged.code, ranged.stdout).toBe(0);

    const whole = await verify(lake);
    expect(whole.code).toBe(1);
    expect(whole.stdout).toContain('missing: coverage/instance=acme/dt=2026-09-30/');
    expect(whole.stdout).not.toContain('objects compared:');
  });

  it("exits 1 on an object of the range's day gone, before the range's hours too, and on one changed", async () => {
    const gone = await lakeCopy(clean, dir, 'range-object-gone');
    await rm(pathOf(gone, activityKey('acme', day0 + 3 * HOUR_MS)));
    await rm(pathOf(gone, activityKey('acme', day0)));
    await rm(pathOf(gone, coverageKey('acme', day0)));
    const missing = await verify(gone, ...hours);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain(`missing: ${activityKey('acme', day0 + 3 * HOUR_MS)}: a digest lists`);
    // Of the same day, before --from: a query of the day reads it, so it is looked for (review F-VERIFY2 M2).
    expect(missing.stdout).toContain(`missing: ${activityKey('acme', day0)}: a digest lists`);
    expect(missing.stdout).toContain(`missing: ${coverageKey('acme', day0)}: a digest lists`);

    const changed = await lakeCopy(clean, dir, 'range-object-changed');
    const key = activityKey('acme', day0 + 2 * HOUR_MS);
    await rm(pathOf(changed, key));
    await new FsObjectStore(changed).put(key, new TextEncoder().encode('forged'));
    const found = await verify(changed, ...hours, '--json');
    expect(found.code).toBe(1);
    const report = JSON.parse(found.stdout);
    expect(report.integrity.problems.map((p: { kind: string; key: string }) => `${p.kind} ${p.key}`)).toEqual(
      [`changed ${key}`],
    );
    expect(report.integrity.hours).toEqual({
      fromMs: day0 + 2 * HOUR_MS,
      toMs: day0 + 4 * HOUR_MS,
      outsideNotChecked: 0,
    });
  });

  it('exits 1 on an object planted in a day folder outside the range (review F-VERIFY2 H1)', async () => {
    const lake = await lakeCopy(clean, dir, 'planted-elsewhere');
    const source = activityKey('acme', day0 + 2 * HOUR_MS);
    const planted = activityKey('acme', day0 - 3 * DAY_MS);
    await new FsObjectStore(lake).put(planted, await readFile(pathOf(lake, source)));
    const ranged = await verify(lake, ...hours);
    expect(ranged.code).toBe(1);
    expect(ranged.stdout).toContain(`unlisted: ${planted}: no digest lists this object; its bytes (sha256`);
    expect(ranged.stdout).toContain(`are those a digest lists for ${source}`);
  });
});

describe('verify --from alone (the monthly routine check of docs/operations.md)', () => {
  const at = (nowMs: number, ...more: string[]) => {
    const io = captureIo();
    const args = ['verify', '--lake', clean, '--instance', 'acme', '--integrity', ...more];
    return main(args, { ...io.io, clock: { now: () => nowMs } }).then((code) => ({
      code,
      stdout: io.stdout(),
    }));
  };

  it('checks from that hour up to now, as --to now would, without calling the range clipped', async () => {
    // Half past five: the hours closed end at five, the lake's watermark.
    const nowMs = day0 + 5 * HOUR_MS + 30 * 60_000;
    const alone = await at(nowMs, '--from', '2026-10-01T02:00:00Z');
    const both = await at(nowMs, '--from', '2026-10-01T02:00:00Z', '--to', '2026-10-01T05:00:00Z');
    expect(alone.code, alone.stdout).toBe(0);
    expect(alone.stdout).toContain(': 2026-10-01 02:00Z .. 2026-10-01 05:00Z\n');
    expect(alone.stdout).not.toContain('is not closed yet');
    expect(alone.stdout).toBe(both.stdout);
    // A --to later than now is clipped, and said to be.
    const later = await at(nowMs, '--from', '2026-10-01T02:00:00Z', '--to', '2026-10-01T08:00:00Z');
    expect(later.stdout).toContain('is not closed yet');
  });

  it('ends where a verify without a range ends: an hour settled that no run has pulled yet is no gap (review F-SECOND3 H1)', async () => {
    // Half past six: hour five has settled, but the lake's watermark is still five, as it is
    // between an hour settling and the next scheduled run pulling it.
    const nowMs = day0 + 6 * HOUR_MS + 30 * 60_000;
    const plain = await at(nowMs);
    expect(plain.code, plain.stdout).toBe(0);
    const alone = await at(nowMs, '--from', '2026-10-01T02:00:00Z');
    expect(alone.stdout).toContain(': 2026-10-01 02:00Z .. 2026-10-01 05:00Z\n');
    expect(alone.stdout).not.toContain('gap');
    expect(alone.code, alone.stdout).toBe(0);
  });

  it('refuses a --from after now as it refuses such a range', async () => {
    const io = captureIo();
    const nowMs = day0 + 6 * HOUR_MS + 30 * 60_000;
    const args = ['verify', '--lake', clean, '--from', '2026-10-02T00:00:00Z'];
    const code = await main(args, { ...io.io, clock: { now: () => nowMs } });
    expect(code).toBe(2);
    expect(io.stderr()).toMatch(/--from/);
    expect(io.stderr()).not.toMatch(/go together/);
  });
});
