/**
 * The readers of the global setup's known lake wait for it with a bound of their own, shorter than
 * the hook timeout they run under, so that a lake late under load fails with a message naming it
 * and what to do, not vitest's bare `Hook timed out in 60000ms`.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { waitForKnownLake } from './known-lake.ts';

let dir: string;
let shared: { lakeDir: string; readyFile: string; failedFile: string; waitMs: number };
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'known-lake-wait-'));
  shared = {
    lakeDir: join(dir, 'known-lake'),
    readyFile: join(dir, 'known-lake.ready'),
    failedFile: join(dir, 'known-lake.failed'),
    waitMs: 100,
  };
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the wait for the shared known lake', () => {
  it('gives up within its bound, saying what to do', async () => {
    await expect(waitForKnownLake(shared)).rejects.toThrow(
      /^the shared known lake was not written within 0\.1 s \(.*known-lake\): test\/global-setup\.ts writes it .* run fewer files at once/,
    );
  });

  it('ends when the ready file comes, and says why the setup failed', async () => {
    setTimeout(() => void writeFile(shared.readyFile, ''), 20);
    await expect(waitForKnownLake({ ...shared, waitMs: 30_000 })).resolves.toBeUndefined();
    await rm(shared.readyFile);
    await writeFile(shared.failedFile, 'Error: disk full');
    await expect(waitForKnownLake(shared)).rejects.toThrow('the shared known lake failed: Error: disk full');
  });

  // vitest.config.ts's hookTimeout is 60 s.
  it('is bounded 15 s below the hook timeout', () => {
    expect(inject('sharedKnownLake').waitMs).toBe(45_000);
  });
});
