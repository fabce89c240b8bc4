import { describe, expect, it } from 'vitest';
import { withDigests } from '../../../functions/core/lake/digest-recorder.ts';
import { activityKey, coverageKey } from '../../../functions/core/lake/layout.ts';
import { verifyIntegrity } from '../../../functions/core/lake/verify-integrity.ts';
import type { ObjectStore } from '../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';

const hour = Date.parse('2026-10-01T10:00:00Z');
const clock = { now: () => hour + 7_200_000 };
const body = (text: string) => new TextEncoder().encode(text);

// enrich goes through withDigests: a chain it leaves open must not read as a success, or the
// command says done over a chain no run seals (the ingest reports the same as a failure).
describe('withDigests when the re-read before its seal fails', () => {
  it('rejects saying the chain was left unsealed; the work stays, recorded in an unsealed digest', async () => {
    const lake = new MemoryObjectStore();
    // A run that died after its opening, leaving hour 10 open for the next one to read.
    await expect(
      withDigests(
        lake,
        { instance: 'acme', runId: 'dead', clock, fromMs: hour, toMs: hour + HOUR_MS },
        async (r) => {
          await r.put(activityKey('acme', hour), body('dead\n'));
          lake.beforePut = () => {
            throw new Error('killed');
          };
        },
      ),
    ).rejects.toThrow();
    lake.beforePut = undefined;

    let tableGetsFail = false;
    const store: ObjectStore = {
      location: lake.location,
      get: (key) =>
        tableGetsFail && key.startsWith('activity_log/')
          ? Promise.reject(new Error('S3 GetObject failed with SlowDown (HTTP 503)'))
          : lake.get(key),
      list: (prefix) => lake.list(prefix),
      put: (key, bytes, options) => lake.put(key, bytes, options),
    };
    const options = { instance: 'acme', runId: 'enrich-2', clock, fromMs: hour, toMs: hour + HOUR_MS };
    await expect(
      withDigests(store, options, async (recording) => {
        await recording.put(coverageKey('acme', hour), body('{"noted":true}\n'));
        tableGetsFail = true;
      }),
    ).rejects.toThrow(
      /^the digest chain of "acme" was left unsealed: .*that re-read failed: .*the next ingest run that stores an hour, or this same work run again, seals the chain/,
    );
    expect(new TextDecoder().decode((await lake.get(coverageKey('acme', hour)))?.body)).toBe(
      '{"noted":true}\n',
    );
    expect((await verifyIntegrity(lake, 'acme')).unsealedHead?.runId).toBe('enrich-2');
  });
});
