import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { main } from '../../functions/cli/main.ts';
import { lastRunKey } from '../../functions/core/lake/last-run.ts';
import type { PutOptions } from '../../functions/core/ports.ts';
import { captureIoAt, clockFrom } from '../support/clock-from.ts';

/**
 * A demo whose ingest fails records its run for `status` as `ingest` does (review R-SHAPE S7), and
 * a note it cannot write is said without hiding the run's own failure (review R-FIXES M1).
 */
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'demo-failed-note-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  vi.restoreAllMocks();
});

const DISK_FULL = 'ENOSPC: no space left on device, write';

/** Writes to the lake fail for the keys `refused` picks, as on a full disk. */
function refuseWrites(refused: (key: string) => boolean): void {
  const put = FsObjectStore.prototype.put;
  vi.spyOn(FsObjectStore.prototype, 'put').mockImplementation(async function (
    this: FsObjectStore,
    key: string,
    body: Uint8Array,
    options?: PutOptions,
  ) {
    if (refused(key)) throw Object.assign(new Error(DISK_FULL), { code: 'ENOSPC' });
    return put.call(this, key, body, options);
  });
}

/**
 * "Now" for these demos: a Wednesday noon, whatever the day. The company is quiet at weekends: two
 * people's one-day demo run on a Sunday after 01:00 UTC simulated no entry, wrote no hour object,
 * and the write these tests refuse never came.
 */
const weekdayClock = clockFrom(Date.parse('2026-10-07T12:00:00Z'));

const demo = async (name: string) => {
  const lake = join(dir, name, 'lake');
  const run = captureIoAt(weekdayClock);
  const code = await main(
    ['demo', '--days', '1', '--users', '2', '--lake', lake, '--out', join(dir, name, 'out')],
    run.io,
  );
  return { lake, code, said: `${run.stdout()}\n${run.stderr()}`.replace(/\s+/g, ' ') };
};

describe('a demo whose ingest fails', () => {
  it('records the failed run for status', async () => {
    refuseWrites((key) => key.startsWith('activity_log/'));
    const { lake, code, said } = await demo('noted');
    expect(code).not.toBe(0);
    expect(said).toContain(`demo ingest failed: `);
    const note = JSON.parse(await readFile(join(lake, lastRunKey('main')), 'utf8'));
    expect(note).toMatchObject({ outcome: 'failed', trigger: 'demo' });
  });

  it('says so when the note cannot be written either, and still fails with the run’s own error', async () => {
    refuseWrites((key) => key.startsWith('activity_log/') || key === lastRunKey('main'));
    const { code, said } = await demo('unnoted');
    expect(code).not.toBe(0);
    expect(said).toContain('warning: could not record this run for status in');
    expect(said).toContain(`demo ingest failed: `);
  });
});
