import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { recordLastRun } from '../../functions/core/ingest/record-last-run.ts';
import { appendDigest } from '../../functions/core/lake/digest.ts';
import { TABLE_PREFIXES, windowStartFromKey } from '../../functions/core/lake/layout.ts';
import { DAY_MS, HOUR_MS } from '../../functions/core/time-units.ts';
import { TODAY_INGESTED_AT, TODAY_START, todayLake, verifyAt } from '../support/verify-today-lake.ts';

// Review R-SECOND6 H1: last-run.json is unsigned, and any lake writer can edit it. Its max_days
// narrowed verify --integrity's range and turned missing objects of older hours into "aged out":
// `"max_days": 1` passed a lake whose first hours were deleted a day later.

/** A day and 6 hours after the lake's day: its hours are over a day old, far from 400 days. */
const NOW = TODAY_START + DAY_MS + 6 * HOUR_MS + 1;

// These lakes are unsigned and checked without a key: the bounds their digests state are taken
// (said unverified), which is what the edits below play against. With --public-key, no unsigned
// digest's bound is taken at all (verify-unsigned-max-days.test.ts, review F-EVID10 3).

let dir: string;

/** Deletes every table object of the lake's first 6 hours: the tamperer's deletion. */
async function deleteFirstHours(root: string): Promise<number> {
  let deleted = 0;
  for (const table of Object.values(TABLE_PREFIXES)) {
    const files = await readdir(join(root, table), { recursive: true, withFileTypes: true }).catch(() => []);
    for (const file of files) {
      if (!file.isFile()) continue;
      const path = join(file.parentPath, file.name);
      const start = windowStartFromKey(relative(root, path).split(sep).join('/'));
      if (start !== undefined && start < TODAY_START + 6 * HOUR_MS) {
        await rm(path);
        deleted++;
      }
    }
  }
  return deleted;
}

/** A lake whose digests state `maxDays` (undefined: none), its run record 400, its first hours gone. */
async function tamperedLake(name: string, maxDays: number | undefined): Promise<string> {
  const lake = join(dir, name);
  const summary = await todayLake(lake, maxDays === undefined ? {} : { maxDays });
  await recordLastRun(new FsObjectStore(lake), summary, TODAY_INGESTED_AT, 'schedule', 400);
  expect(await deleteFirstHours(lake)).toBeGreaterThan(0);
  return lake;
}

/** The tamperer's edit of the run record: a bound of one day. */
async function editMaxDays(lake: string, maxDays: number): Promise<void> {
  const path = join(lake, 'state/instance=acme/last-run.json');
  const record = JSON.parse(await readFile(path, 'utf8'));
  record.max_days = maxDays;
  await writeFile(path, JSON.stringify(record));
}

/** `verify --integrity --json` at {@link NOW}: its exit code and report. */
async function integrity(lake: string, more: string[] = []) {
  const r = await verifyAt(lake, NOW, ['--integrity', '--json', ...more]);
  return { code: r.code, json: JSON.parse(r.stdout) };
}

const missing = (json: { integrity: { problems: { kind: string }[] } }) =>
  json.integrity.problems.filter((p) => p.kind === 'missing').length;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'verify-aged-out-tampered-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('an edited run record does not widen what verify takes for aged out', () => {
  it('fails on the deleted hours whatever max_days the record says', async () => {
    const lake = await tamperedLake('stated-400', 400);
    const honest = await integrity(lake);
    expect(honest.code).toBe(1);
    const found = missing(honest.json);
    expect(found).toBeGreaterThan(0);
    await editMaxDays(lake, 1);
    const edited = await integrity(lake);
    expect(edited.code, JSON.stringify(edited.json.agedOut)).toBe(1);
    expect(missing(edited.json)).toBe(found);
    expect(edited.json.integrity.agedOut).toBeUndefined();
    expect(edited.json.agedOut).toBeUndefined();
    // Review R-SECOND7 H2: no hint to take the record's 1 over the chain's 400; both are said.
    expect(honest.json.agedOutDisagreement).toBeUndefined();
    expect(edited.json.agedOutHint).toBeUndefined();
    expect(edited.json.agedOutDisagreement).toEqual({ record: 1, digests: 400 });
    const text = await verifyAt(lake, NOW, ['--integrity']);
    expect(text.stdout).not.toContain('pass --max-days 1');
    expect(text.stdout).toContain('retention.maxDays 1, the digest chain 400');
    expect(text.stdout).toContain('may have been tampered with');
  });

  it('fails on a lake whose digests state no bound, offering the record as a hint only', async () => {
    const lake = await tamperedLake('stated-none', undefined);
    await editMaxDays(lake, 1);
    const { code, json } = await integrity(lake);
    expect(code).toBe(1);
    expect(missing(json)).toBeGreaterThan(0);
    expect(json.agedOutHint).toBe(1);
  });

  it('takes no smaller bound from a digest appended after the larger one', async () => {
    const lake = await tamperedLake('appended-1', 400);
    const store = new FsObjectStore(lake);
    const createdAt = new Date(NOW - HOUR_MS).toISOString();
    const forged = { instance: 'acme', runId: 'forger', createdAt, objects: [], intents: [] };
    await appendDigest(store, { ...forged, sealed: true, fromMs: null, maxDays: 1 });
    const { code, json } = await integrity(lake);
    expect(code).toBe(1);
    expect(missing(json)).toBeGreaterThan(0);
    expect(json.agedOut).toBeUndefined();
    // Review R-SECOND8 M1: the honest record (400) agrees with the bound the chain gives; the
    // appended 1 is not set against it as the chain's, nor the record called tampered.
    expect(json.agedOutDisagreement).toBeUndefined();
  });

  // Review R-SECOND7 H1: the default deployment states none (null), older digests and command-line
  // runs nothing; one appended bound then excused the deleted hours.
  it('takes no bound appended to a chain stating none or nothing', async () => {
    for (const [name, maxDays] of [
      ['none-then-1', null],
      ['nothing-then-1', undefined],
    ] as const) {
      const lake = join(dir, name);
      const summary = await todayLake(lake, maxDays === undefined ? {} : { maxDays });
      await recordLastRun(new FsObjectStore(lake), summary, TODAY_INGESTED_AT, 'schedule', null);
      expect(await deleteFirstHours(lake)).toBeGreaterThan(0);
      const createdAt = new Date(NOW - HOUR_MS).toISOString();
      const forged = { instance: 'acme', runId: 'forger', createdAt, objects: [], intents: [] };
      await appendDigest(new FsObjectStore(lake), { ...forged, sealed: true, fromMs: null, maxDays: 1 });
      const { code, json } = await integrity(lake);
      expect(code, name).toBe(1);
      expect(missing(json)).toBeGreaterThan(0);
      expect(json.agedOut).toBeUndefined();
    }
  });

  // Review R-SECOND7 L3: one such digest switches excusing off for good; the check names it.
  it('names the digest stating a bound synth refuses', async () => {
    const lake = await tamperedLake('refused-0', 400);
    const createdAt = new Date(NOW - HOUR_MS).toISOString();
    const forged = { instance: 'acme', runId: 'forger', createdAt, objects: [], intents: [] };
    await appendDigest(new FsObjectStore(lake), { ...forged, sealed: true, fromMs: null, maxDays: 0 });
    const { json } = await integrity(lake);
    const digest = json.integrity.maxDaysRefused?.digest;
    expect(json.integrity.maxDaysRefused).toEqual({ digest: expect.stringMatching(/^digest\//), maxDays: 0 });
    const text = await verifyAt(lake, NOW, ['--integrity']);
    expect(text.stdout).toContain(`${digest} states retention.maxDays 0, a value synth refuses`);
  });

  it("excuses the deleted hours only by the operator's own bound, named in the header", async () => {
    const lake = await tamperedLake('operator-1', 400);
    const r = await verifyAt(lake, NOW, ['--integrity', '--max-days', '1']);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toContain('--max-days 1');
    expect(r.stdout).toContain('(1 days, as --max-days gave it; compare it with cdk.json)');
  });

  it('refuses a --max-days synth would refuse, before the lake is read', async () => {
    for (const bad of ['0', '36501', '1.5']) {
      const r = await verifyAt(join(dir, 'no-lake'), NOW, ['--max-days', bad]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain('--max-days');
    }
  });
});
