import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { main } from '../../functions/cli/main.ts';
import { activityKey, coverageKey, HOUR_MS } from '../../functions/core/lake/layout.ts';
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
  it('passes on a lake without the hours before the range, saying they were not checked', async () => {
    const lake = await lakeCopy(clean, dir, 'without-first-hours');
    for (const hour of [0, 1]) {
      await rm(pathOf(lake, activityKey('acme', day0 + hour * HOUR_MS)));
      await rm(pathOf(lake, coverageKey('acme', day0 + hour * HOUR_MS)));
    }
    const ranged = await verify(lake, ...hours);
    expect(dayBefore).toBeGreaterThan(0);
    expect(ranged.stdout).toContain(
      `  objects compared: those of the hours 2026-10-01 02:00Z .. 2026-10-01 04:00Z (the whole chain was checked); ${dayBefore + 4} object(s) the chain lists outside the range, not checked (docs/guarantees.md §6)\n`,
    );
    expect(ranged.stdout).not.toContain('missing:');
    expect(ranged.code, ranged.stdout).toBe(0);

    const whole = await verify(lake);
    expect(whole.code).toBe(1);
    expect(whole.stdout).toContain(
      `missing: ${coverageKey('acme', day0)}: a digest lists this object, but it is gone`,
    );
    expect(whole.stdout).not.toContain('objects compared:');
  });

  it('exits 1 on an object of the range gone, and on one changed', async () => {
    const gone = await lakeCopy(clean, dir, 'range-object-gone');
    await rm(pathOf(gone, activityKey('acme', day0 + 3 * HOUR_MS)));
    const missing = await verify(gone, ...hours);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain(`missing: ${activityKey('acme', day0 + 3 * HOUR_MS)}: a digest lists`);

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
      outsideNotChecked: dayBefore,
    });
  });
});
