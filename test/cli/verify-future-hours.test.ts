import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { activityKey } from '../../functions/core/lake/layout.ts';
import { DAY_MS, HOUR_MS } from '../../functions/core/time-units.ts';
import { TODAY_INGESTED_AT, TODAY_START, todayLake, verifyAt } from '../support/verify-today-lake.ts';

// Review R-VERIFY4 (1), end to end: a copy of an hour's events object put 16 days ahead on a disk
// lake fails plain verify and verify --integrity, text and --json, and no --accept passes it.

let dir: string;
let lake: string;
const copied = activityKey('acme', TODAY_START + 16 * DAY_MS + 2 * HOUR_MS);
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'verify-future-hours-'));
  lake = join(dir, 'lake');
  expect((await todayLake(lake)).failures).toEqual([]);
  const to = join(lake, ...copied.split('/'));
  await mkdir(dirname(to), { recursive: true });
  await copyFile(join(lake, ...activityKey('acme', TODAY_START + 2 * HOUR_MS).split('/')), to);
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

it('fails verify naming the object of an hour not begun, which no --accept passes', async () => {
  const now = TODAY_INGESTED_AT + 5 * 60_000;
  const plain = await verifyAt(lake, now, []);
  expect(plain.code, plain.stderr).toBe(1);
  expect(plain.stdout).toContain(`  object of an hour not begun (2026-12-18 02:00Z): ${copied}\n`);
  expect(plain.stdout).toContain(
    "  1 object(s) are keyed to hours from 2026-12-02 11:00Z on, which have not begun by this machine's clock: no ingest writes an hour before it has closed",
  );
  expect(plain.stdout).toContain('see docs/operations.md, "Objects of hours not begun"');

  const json = await verifyAt(lake, now, ['--integrity', '--json']);
  expect(json.code).toBe(1);
  const report = JSON.parse(json.stdout);
  expect(report).toMatchObject({ ok: false, futureObjectCount: 1, futureObjects: [{ key: copied }] });
  // The chain's own finding of the copy can be accepted; the object of an hour not begun cannot.
  expect(report.integrity.problems).toMatchObject([{ kind: 'unlisted', key: copied }]);
  const accept = join(dir, 'accept.json');
  await writeFile(accept, json.stdout);
  const accepted = await verifyAt(lake, now, ['--integrity', '--accept', accept]);
  expect(accepted.code).toBe(1);
  expect(accepted.stdout).toContain('1 finding(s) accepted as known');
  expect(accepted.stdout).toContain(`object of an hour not begun (2026-12-18 02:00Z): ${copied}`);
});
