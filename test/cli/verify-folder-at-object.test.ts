import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { defaultIngestConfig } from '../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../functions/core/ingest/run-ingest.ts';
import { activityKey, coverageKey } from '../../functions/core/lake/layout.ts';
import { verifyIntegrity } from '../../functions/core/lake/verify-integrity.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { lakeCopy as copyOfLake, diskIngestDeps, pathOf, verifyAcme } from '../support/verify-lake-copy.ts';

// A folder made at an hour object's key on a disk lake read as no object: `verify --integrity`
// called the hour "missing" (a deleted file, to its reader), plain `verify` a manifest mismatch or
// an interrupted pull, and neither named the folder, which keeps that key from ever being written.
// Each check now fails naming it and saying what to do, as for a FIFO there, and so does an ingest
// that pulls that hour again.
const day0 = Date.parse('2026-10-01T00:00:00Z');
/** An hour of the clean lake holding events, inside the lookback of the later ingest below. */
const hour = day0 + 4 * HOUR_MS;
let dir: string;
let clean: string;

const ingestDeps = (lake: string, at: number) => diskIngestDeps(day0, lake, at);
const ingest = (lake: string, at: number) =>
  runIngest(ingestDeps(lake, at), { ...defaultIngestConfig('acme'), backfillDays: 1 });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'verify-folder-'));
  clean = join(dir, 'clean');
  await ingest(clean, day0 + 6 * HOUR_MS + 1);
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

/** A copy of the clean lake with a folder in place of the object at `key`. */
async function folderAt(name: string, key: string): Promise<string> {
  const lake = await copyOfLake(clean, dir, name);
  await rm(pathOf(lake, key));
  await mkdir(pathOf(lake, key));
  return lake;
}

const refusal = (lake: string, key: string) =>
  `${key} in the lake (${pathOf(lake, key)}) is a folder where the lake keeps that object: move it away`;

describe('verify and ingest over a folder at an hour object', () => {
  it('fail both checks on a folder at an hour, naming it, and fail its ingest', async () => {
    const key = activityKey('acme', hour);
    const lake = await folderAt('activity', key);
    for (const integrity of [false, true]) {
      const { code, stdout, stderr } = await verifyAcme(lake, integrity);
      expect(code, `--integrity ${integrity}: ${stdout}`).toBe(1);
      expect(stderr).toContain(refusal(lake, key));
      expect(stdout).not.toContain('missing:');
    }
    const run = await ingest(lake, day0 + 9 * HOUR_MS + 1);
    expect(run.outcome).toBe('failed');
    expect(run.failures.map((failure) => failure.message)).toContain(
      `${refusal(lake, key)} (docs/guarantees.md §6)`,
    );
  });

  it('fail both checks on a folder at an hour manifest, not a gap or an interrupted pull', async () => {
    const key = coverageKey('acme', hour);
    const lake = await folderAt('coverage', key);
    for (const integrity of [false, true]) {
      const { code, stdout, stderr } = await verifyAcme(lake, integrity);
      expect(code, `--integrity ${integrity}: ${stdout}`).toBe(1);
      expect(stderr).toContain(refusal(lake, key));
      expect(stdout).not.toContain('no manifest');
    }
  });

  it('the chain check alone names it too, rather than call the object gone', async () => {
    // Plain verify reads the hour first in the command; the chain check, asked on its own (or for
    // an hour outside verify's range), finds the key missing from the listing and reads it once.
    const key = activityKey('acme', hour);
    const lake = await folderAt('integrity-only', key);
    await expect(verifyIntegrity(new FsObjectStore(lake), 'acme')).rejects.toThrow(refusal(lake, key));
  });
});
