import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeNdjsonGzip } from '../../functions/core/lake/ndjson.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { dirPerTest } from '../support/dir-per-test.ts';
import { TODAY_START as day0, todayLake, verifyAt } from '../support/verify-today-lake.ts';

// Reviews of stop 61 (R-AHEAD2 L7): the lake's instances are found by their activity_log/,
// coverage/ and state/ folders, so an `instance=` folder only the quarantine table held was checked
// by no instance's verify, and named by none, while a local query of the quarantine table over
// every instance read its rows: `quarantine/instance=ghost/` (a name no events, manifest or
// checkpoint has) and `quarantine/instance=Main/` (a name no instance can have) passed. Verify now
// lists the quarantine table's instance folders too (one delimited listing) and names both as no
// object of the lake, the first with what it may be.

let lake: string;
dirPerTest('quarantine-instance-', async (made) => {
  lake = join(made, 'lake');
  expect((await todayLake(lake, { lastRun: true })).failures).toEqual([]);
});

const now = day0 + 11 * HOUR_MS;

/** A quarantine object of `2026-12-02T03` in `quarantine/instance=<folder>/`. */
async function plant(folder: string): Promise<void> {
  const day = join(lake, 'quarantine', `instance=${folder}`, 'dt=2026-12-02');
  await mkdir(day, { recursive: true });
  // Empty, as a pull that took every entry of the hour out of quarantine leaves it.
  await writeFile(join(day, '2026-12-02T03.ndjson.gz'), encodeNdjsonGzip([]));
}

describe('verify: instance folders only the quarantine table holds', () => {
  it('passes an honest lake, whose quarantine folders are its instances', async () => {
    await plant('acme');
    const { code, stdout } = await verifyAt(lake, now, []);
    // acme's hour 3 has a manifest counting none: its quarantine object, empty, is honest.
    expect(stdout).not.toContain('not an object of this lake');
    expect(code).toBe(0);
  });

  it('names a folder of an instance with no events, manifest or checkpoint, and fails', async () => {
    await plant('ghost');
    const { code, stdout } = await verifyAt(lake, now, []);
    expect(code).toBe(1);
    expect(stdout).toContain('hours covered: 24 of 24');
    expect(stdout).toContain('  not an object of this lake: quarantine/instance=ghost/\n');
    expect(stdout.replace(/\s+/g, ' ')).toContain(
      'quarantine/instance=ghost/ is a folder of the quarantine table (with or without files) of an instance "ghost" that has no events, manifest, checkpoint or digest (no activity_log/, coverage/, state/ or digest/ folder): no check reads it, while a local query of the quarantine table over every instance does. No ingest of "ghost" ran (an ingest writes its digest first), so it was put there by hand: look at it (its records\' run_id say which run stored them), then move it out of the lake',
    );
    const json = JSON.parse((await verifyAt(lake, now, ['--json'])).stdout);
    expect(json).toMatchObject({
      ok: false,
      foreignKeys: ['quarantine/instance=ghost/'],
      quarantineOnlyInstances: ['quarantine/instance=ghost/'],
    });
    // A range asked for names it too, as it names the other instance folders.
    const ranged = await verifyAt(lake, now, ['--from', '2026-12-02T05:00Z', '--to', '2026-12-02T06:00Z']);
    expect(ranged.code).toBe(1);
    expect(ranged.stdout).toContain('  not an object of this lake: quarantine/instance=ghost/\n');
  });

  it('names a folder of a name no instance can have, as in the other tables', async () => {
    await plant('Main');
    const { code, stdout } = await verifyAt(lake, now, ['--integrity']);
    expect(code).toBe(1);
    expect(stdout).toContain('  not an object of this lake: quarantine/instance=Main/\n');
    expect(stdout).not.toContain('is a folder of the quarantine table');
  });

  it('names the folder of an instance whose first ingest ran but wrote no manifest, and passes', async () => {
    // Review verify5 #4: an ingest writes its genesis digest first, so a digest folder beside a
    // quarantine folder of no instance is a first ingest interrupted (or running), not a stray.
    await plant('second');
    await mkdir(join(lake, 'digest', 'instance=second'), { recursive: true });
    await writeFile(join(lake, 'digest', 'instance=second', '0000000000.json'), '{}');
    const { code, stdout } = await verifyAt(lake, now, []);
    expect(stdout).not.toContain('not an object of this lake');
    expect(stdout).not.toContain('move them out of the lake');
    expect(stdout.replace(/\s+/g, ' ')).toContain(
      'quarantine/instance=second/ is the quarantine table\'s folder of an instance "second" whose first ingest ran (digest/instance=second/ is there) but wrote no manifest yet: interrupted before its first manifest, every entry of its first hours set aside, or still running. Not a failure of this instance: the next ingest of "second" (its scheduled run, or ingest --instance second) goes on from there',
    );
    expect(code).toBe(0);
    const json = JSON.parse((await verifyAt(lake, now, ['--json'])).stdout);
    expect(json).toMatchObject({
      ok: true,
      foreignKeys: [],
      interruptedFirstIngests: ['quarantine/instance=second/'],
    });
    expect(json.quarantineOnlyInstances).toBeUndefined();
  });
});
