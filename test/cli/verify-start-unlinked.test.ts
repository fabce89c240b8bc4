import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { statusCommand } from '../../functions/cli/commands/status.ts';
import { verifyCommand } from '../../functions/cli/commands/verify.ts';
import { coverageKey, digestKey } from '../../functions/core/lake/layout.ts';
import { silentLog } from '../../functions/core/ports.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { captureIo } from '../support/capture-io.ts';
import { dirPerTest } from '../support/dir-per-test.ts';
import { BACKFILL_RUN_AT_MS, ingestTwoDayBackfill } from '../support/two-day-backfill-lake.ts';

// Review STATUS7: where a plain verify begins rests on the lake's records of its start, the
// genesis digest's from_ms and the checkpoint's plan_from_ms, the earlier of the two. Edited back,
// they only add gaps; but the oldest hours deleted with digest 0's from_ms moved on to the first
// hour left (plan_from_ms is a later run's anyway) passed plain verify. Digest 1 names digest 0's
// SHA-256: a plain verify now reads that one link too.

let lake: string;
/** The lake's first hour: the genesis run pulled from there. */
const FIRST_MS = Date.parse('2026-09-29T08:00:00Z');
const LEFT_MS = FIRST_MS + 4 * HOUR_MS;
dirPerTest('verify-start-unlinked-', async (dir) => {
  lake = join(dir, 'lake');
  await ingestTwoDayBackfill(lake);
  // The oldest 4 hours deleted, and the checkpoint's plan start a later run's.
  for (let hourMs = FIRST_MS; hourMs < LEFT_MS; hourMs += HOUR_MS)
    await rm(join(lake, coverageKey('acme', hourMs)));
  const file = join(lake, 'state/instance=acme/checkpoint.json');
  const checkpoint = JSON.parse(await readFile(file, 'utf8'));
  checkpoint.plan_from_ms = checkpoint.watermark_ms - 2 * HOUR_MS;
  await writeFile(file, JSON.stringify(checkpoint));
});

const genesisAt = () => join(lake, digestKey('acme', 0));
/** Digest 0 with its from_ms moved on to the first hour left: plausible, and before it was written. */
async function moveTheStartOn() {
  const digest = JSON.parse(await readFile(genesisAt(), 'utf8'));
  expect(digest.from_ms).toBe(FIRST_MS);
  digest.from_ms = LEFT_MS;
  await writeFile(genesisAt(), JSON.stringify(digest, null, 2));
}

async function verify() {
  const { io, stdout } = captureIo();
  const report = await verifyCommand(['--lake', lake], {
    ...io,
    log: silentLog,
    clock: { now: () => BACKFILL_RUN_AT_MS + HOUR_MS },
  });
  return { report, text: stdout().replace(/\s+/g, ' ') };
}

describe('plain verify on the record of where the lake began', () => {
  it('finds the oldest hours deleted by the genesis start, its link whole', async () => {
    const { report } = await verify();
    expect(report.gaps[0]).toEqual({ fromMs: FIRST_MS, toMs: LEFT_MS });
    expect(report.startUnlinked).toBeUndefined();
    expect(report.ok).toBe(false);
  });

  it('fails on a genesis start moved on, which digest 1 does not name, and says so', async () => {
    await moveTheStartOn();
    const { report, text } = await verify();
    // The start moved on hides the gap: the broken link is what tells it.
    expect(report.gaps).toEqual([]);
    expect(report.startUnlinked).toBe('digest/instance=acme/0000000000.json');
    expect(report.ok).toBe(false);
    expect(text).toContain(
      "digest/instance=acme/0000000000.json, the chain's first digest, is gone or is not the one the next digest names (its SHA-256 differs)",
    );
    expect(text).toContain(
      'what to do (is not the one the next digest names): see docs/operations.md "verify --integrity reports broken-link, bad-signature, unsigned or not-a-digest"',
    );
  });

  it('fails on a genesis deleted while the next digest is there', async () => {
    await rm(genesisAt());
    const { report } = await verify();
    expect(report.startUnlinked).toBe('digest/instance=acme/0000000000.json');
    expect(report.ok).toBe(false);
  });
});

describe('status on the record of where the lake began', () => {
  async function status() {
    const { io, stdout } = captureIo();
    const result = await statusCommand(['--lake', lake, '--format', 'table'], {
      ...io,
      log: silentLog,
      clock: { now: () => BACKFILL_RUN_AT_MS + HOUR_MS },
    });
    return { result, text: stdout().replace(/\s+/g, ' ') };
  }

  it('names the oldest hours gone by the genesis start, its link whole', async () => {
    const { result } = await status();
    expect(result.instances[0]?.hours?.oldestGone).toEqual({ fromMs: FIRST_MS, firstMs: LEFT_MS });
    expect(result.instances[0]?.hours?.startUnlinked).toBeUndefined();
    expect(result.ok).toBe(false);
  });

  it('is DAMAGED on a genesis start moved on, which digest 1 does not name, and says so', async () => {
    await moveTheStartOn();
    const { result, text } = await status();
    // The start moved on hides the hours gone: the broken link is what tells it.
    expect(result.instances[0]?.hours?.oldestGone).toBeNull();
    expect(result.instances[0]?.hours?.startUnlinked).toBe(true);
    expect(result.ok).toBe(false);
    expect(text).toContain('DAMAGED');
    expect(text).toContain(
      "acme: digest/instance=acme/0000000000.json, the chain's first digest, is gone or is not the one the next digest names",
    );
  });
});
