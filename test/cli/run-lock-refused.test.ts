import { describe, expect, it } from 'vitest';
import { holdingLakeRunLock } from '../../functions/cli/commands/ingest.ts';
import type { LakeTarget } from '../../functions/cli/lake-target.ts';

const diskFull = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
const target = { spec: { kind: 'fs', dir: '/lakes/main' } } as unknown as LakeTarget;

describe("the run lock, an ingest's first write into a disk lake", () => {
  it('says a disk that refuses it as the run would, with the fix, before any request', async () => {
    let worked = false;
    const run = holdingLakeRunLock(
      target,
      'r1',
      () => true,
      async () => {
        worked = true;
      },
      async () => {
        throw diskFull();
      },
    );
    await expect(run).rejects.toThrow(
      "could not write the lake at /lakes/main (ENOSPC: no space left on device, write): the lake's disk is full (ENOSPC): free space on it; then run the same command again",
    );
    expect(worked).toBe(false);
  });

  it("leaves the run's own failures as they are, once it has begun", async () => {
    const failure = diskFull();
    const run = holdingLakeRunLock(
      target,
      'r1',
      () => true,
      async () => {
        throw failure;
      },
      (_dir, _runId, _options, work) => work(),
    );
    await expect(run).rejects.toBe(failure);
  });
});
