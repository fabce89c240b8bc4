import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { defaultIngestConfig } from '../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../functions/core/ingest/run-ingest.ts';
import { activityKey, digestKey } from '../../functions/core/lake/layout.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { lakeCopy as copyOfLake, diskIngestDeps, pathOf, verifyAcme } from '../support/verify-lake-copy.ts';

// A lake on disk holds regular files only. A FIFO in place of an hour made `verify --integrity`
// wait for ever on its open; one under a name no object has, or at the digest chain's next number,
// passed both checks unseen (and made an ingest hang); a folder at that number passed too. Each
// now fails both checks, naming it, and the ingest refuses it, all without waiting on the FIFO.
const day0 = Date.parse('2026-10-01T00:00:00Z');
let dir: string;
let clean: string;

const ingestDeps = (lake: string, at: number) => diskIngestDeps(day0, lake, at);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'verify-special-'));
  clean = join(dir, 'clean');
  await runIngest(ingestDeps(clean, day0 + 6 * HOUR_MS + 1), {
    ...defaultIngestConfig('acme'),
    backfillDays: 1,
  });
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

const lakeCopy = (name: string) => copyOfLake(clean, dir, name);
const verify = verifyAcme;
const mkfifo = (path: string) => execFileSync('mkfifo', [path]);
const fifoRefusal = (lake: string, key: string) =>
  `${key} in the lake (${pathOf(lake, key)}) is a FIFO (named pipe), not an object: the lake holds regular files only; remove it`;

async function expectBothFail(lake: string, message: string): Promise<void> {
  for (const integrity of [false, true]) {
    const { code, stdout, stderr } = await verify(lake, integrity);
    expect(code, `--integrity ${integrity}: ${stdout}`).toBe(1);
    expect(stderr).toContain(message);
    expect(stdout).not.toContain('OK');
  }
}

describe.runIf(process.platform !== 'win32')('verify over a lake holding a special file', () => {
  it('fails, not waits, on a FIFO in place of an hour', { timeout: 20_000 }, async () => {
    const lake = await lakeCopy('fifo-hour');
    const key = activityKey('acme', day0 + HOUR_MS);
    await rm(pathOf(lake, key));
    mkfifo(pathOf(lake, key));
    await expectBothFail(lake, fifoRefusal(lake, key));
  });

  it('fails on a FIFO under a name no object has, as it names a regular stray', {
    timeout: 20_000,
  }, async () => {
    const lake = await lakeCopy('fifo-stray');
    const key = `${activityKey('acme', day0 + HOUR_MS).replace(/\.ndjson\.gz$/, '')}x.ndjson.gz`;
    mkfifo(pathOf(lake, key));
    await expectBothFail(lake, fifoRefusal(lake, key));
  });

  it('fails on a FIFO at the next digest number, and the ingest refuses it', {
    timeout: 20_000,
  }, async () => {
    const lake = await lakeCopy('fifo-digest');
    const key = digestKey('acme', await nextDigestNumber(lake));
    mkfifo(pathOf(lake, key));
    const { code, stderr } = await verify(lake, true);
    expect(code).toBe(1);
    expect(stderr).toContain(fifoRefusal(lake, key));
    const run = await runIngest(ingestDeps(lake, day0 + 9 * HOUR_MS + 1), {
      ...defaultIngestConfig('acme'),
      backfillDays: 1,
    });
    expect(run.outcome).toBe('failed');
    expect(run.eventsWritten).toBe(0);
    expect(run.failures[0]?.message).toContain(fifoRefusal(lake, key));
  });

  it('fails --integrity on a folder at the next digest number, which no run can write', async () => {
    const lake = await lakeCopy('folder-digest');
    const key = digestKey('acme', await nextDigestNumber(lake));
    await mkdir(pathOf(lake, key));
    const { code, stdout, stderr } = await verify(lake, true);
    expect(code, stdout).toBe(1);
    expect(stderr).toContain(
      `${key} in the lake (${pathOf(lake, key)}) is a folder where the lake keeps that object: move it away`,
    );
  });
});

/** The number the chain's next digest takes: one past the digests the clean lake holds. */
async function nextDigestNumber(lake: string): Promise<number> {
  const keys: string[] = [];
  for await (const key of new FsObjectStore(lake).list('digest/instance=acme/')) keys.push(key);
  expect(keys.length).toBeGreaterThan(0);
  return keys.length;
}
