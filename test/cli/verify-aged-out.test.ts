import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { commandLineRunner } from '../../functions/cli/command-line-runner.ts';
import { defaultIngestConfig } from '../../functions/core/ingest/ingest-config.ts';
import { recordLastRun } from '../../functions/core/ingest/record-last-run.ts';
import { runIngest } from '../../functions/core/ingest/run-ingest.ts';
import { readLastRun } from '../../functions/core/lake/last-run.ts';
import { activityKey, TABLE_PREFIXES, windowStartFromKey } from '../../functions/core/lake/layout.ts';
import { DAY_MS, HOUR_MS } from '../../functions/core/time-units.ts';
import { MemoryAuditSource, viewEntry } from '../support/memory-audit-source.ts';
import { quietIngestDeps } from '../support/quiet-ingest-deps.ts';
import { TODAY_INGESTED_AT, TODAY_START, todayLake, verifyAt } from '../support/verify-today-lake.ts';

// Review R-PRIVACY H1: with retention.maxDays the lake's lifecycle expires old hours. verify read
// every hour gone that way as a gap, and --integrity every object the digests name as missing.
// Review R-SECOND6 H1: the bound is the digests' (or the operator's), never the run record's; the
// digests' is verified only when signed and checked with --public-key (review F-EVID10 3).

/** 30 days after the lake's day, 04:00: the hours before 04:00 of that day are older than 30 days. */
const NOW = TODAY_START + 30 * DAY_MS + 4 * HOUR_MS;
const CUTOFF = TODAY_START + 4 * HOUR_MS;

let dir: string;
let lake: string;
let removed = 0;

/**
 * Deletes every table object of an hour before `beforeMs`, as S3's expiry hides them, but the
 * events of the last of them: S3 expires object by object, and a manifest may go first.
 */
async function expireHoursBefore(root: string, beforeMs: number): Promise<void> {
  const left = activityKey('acme', beforeMs - HOUR_MS);
  for (const table of Object.values(TABLE_PREFIXES)) {
    const files = await readdir(join(root, table), { recursive: true, withFileTypes: true }).catch(() => []);
    for (const file of files) {
      if (!file.isFile()) continue;
      const path = join(file.parentPath, file.name);
      const key = relative(root, path).split(sep).join('/');
      const start = windowStartFromKey(key);
      if (start !== undefined && start < beforeMs && key !== left) {
        await rm(path);
        removed++;
      }
    }
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'verify-aged-out-'));
  lake = join(dir, 'lake');
  const summary = await todayLake(lake, { maxDays: 30 });
  expect(summary.failures).toEqual([]);
  await recordLastRun(new FsObjectStore(lake), summary, TODAY_INGESTED_AT, 'schedule', 30);
  await expireHoursBefore(lake, CUTOFF);
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('verify takes hours older than retention.maxDays for aged out by policy, not missing', () => {
  it('the last scheduled run records maxDays, and a run that does not know it keeps it', async () => {
    const store = new FsObjectStore(lake);
    expect((await readLastRun(store, 'acme'))?.max_days).toBe(30);
    const summary = await todayLake(join(dir, 'other'));
    // The record is of a run on this lake: its chain's head, not the other lake's (whose chain may
    // be longer, which verify reads as digests cut from this one's end).
    const head = (await readLastRun(store, 'acme'))?.digest_head;
    await recordLastRun(
      store,
      { ...summary, runId: 'cli-run', ...(head === undefined ? {} : { digestHead: head }) },
      TODAY_INGESTED_AT + 60_000,
    );
    expect((await readLastRun(store, 'acme'))?.max_days).toBe(30);
  });

  it("without --integrity takes no bound but the operator's, offering the run record's", async () => {
    expect(removed).toBeGreaterThan(0);
    const r = await verifyAt(lake, NOW, []);
    expect(r.code, r.stdout).toBe(1);
    expect(r.stdout).toContain(
      "  the lake's last run says retention.maxDays 30; that record is not signed, so it is not taken, and whoever deleted hours can edit it too: compare it with cdk.json's retention.maxDays first; only if it is the deployment's, pass --max-days 30 to check so\n",
    );
  });

  it('passes the whole lake with --max-days, saying which hours it left out and why', async () => {
    const r = await verifyAt(lake, NOW, ['--max-days', '30']);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toContain(
      '  hours before 2026-12-02 04:00Z not checked: aged out by policy, the lake expires them after retention.maxDays (30 days, as --max-days gave it; compare it with cdk.json)\n',
    );
    expect(r.stdout).toContain('options: --max-days 30');
    const json = JSON.parse((await verifyAt(lake, NOW, ['--max-days', '30', '--json'])).stdout);
    expect(json).toMatchObject({
      ok: true,
      fromMs: CUTOFF,
      agedOut: { beforeMs: CUTOFF, maxDays: 30, source: 'operator' },
    });
    // What S3 has not expired yet of an aged-out hour is no hold before the lake to re-pull.
    expect(json.heldBeforeLake).toBeUndefined();
    expect(json.check.caveats).toEqual(
      expect.arrayContaining([expect.stringContaining('aged out by policy')]),
    );
  });

  it('passes --integrity by the bound the digests state, counting the objects that expired', async () => {
    const r = await verifyAt(lake, NOW, ['--integrity', '--json']);
    const json = JSON.parse(r.stdout);
    expect(json.integrity.problems).toEqual([]);
    expect(json.integrity.agedOut).toBeGreaterThan(0);
    expect(json.agedOut).toEqual({ beforeMs: CUTOFF, maxDays: 30, source: 'digests' });
    expect(r.code, r.stdout).toBe(0);
    // This chain is unsigned and checked without a key: its bound is taken, and said unverified
    // (review F-EVID10 3; with --public-key, an unsigned digest's bound excuses nothing:
    // verify-unsigned-max-days.test.ts).
    const text = (await verifyAt(lake, NOW, ['--integrity'])).stdout.replace(/\s+/g, ' ');
    expect(text).toContain('(30 days, as the digest chain states it, unverified: no signature was checked');
    // What the pass proves leaves the aged-out hours' objects out (review REVIEW90).
    expect(text).toContain(
      'every object the chain lists is there, but those of the hours aged out by policy;',
    );
  });

  it('still fails on an hour the policy keeps that is gone', async () => {
    const r = await verifyAt(lake, NOW - 2 * HOUR_MS, ['--max-days', '30', '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).gaps[0]).toEqual({ fromMs: CUTOFF - 2 * HOUR_MS, toMs: CUTOFF });
  });

  it("takes a command-line run's digest, which does not know the bound, for no statement of its own", async () => {
    // Review AUDITOR89: a re-pull from the command line (the runbooks' fix for a gap) wrote a
    // digest stating nothing, read as "no bound": every hour expired before it then read as
    // missing for good, a legitimate year's purge reported as deletions.
    const other = join(dir, 'with-a-re-pull');
    await todayLake(other, { maxDays: 30 });
    const store = new FsObjectStore(other);
    const source = new MemoryAuditSource([viewEntry(TODAY_START + 8 * HOUR_MS + 60_000, 8)]);
    const rePull = await runIngest(
      {
        ...quietIngestDeps(source, store, TODAY_INGESTED_AT + HOUR_MS),
        runner: commandLineRunner('ingest-range'),
      },
      defaultIngestConfig('acme'),
      { range: { fromMs: TODAY_START + 8 * HOUR_MS, toMs: TODAY_START + 9 * HOUR_MS } },
    );
    expect(rePull.failures).toEqual([]);
    await expireHoursBefore(other, CUTOFF);
    const r = await verifyAt(other, NOW, ['--integrity', '--json']);
    const json = JSON.parse(r.stdout);
    expect(json.integrity.problems).toEqual([]);
    expect(json.agedOut).toEqual({ beforeMs: CUTOFF, maxDays: 30, source: 'digests' });
    expect(r.code, r.stdout).toBe(0);
  });
});
