/**
 * The digests one run appends, pinned byte for byte: the chain is evidence, so the recorder may be
 * made cheaper (which reads a flush lists, found how), never different. The run goes through every
 * way a read comes to be listed or not: read before the opening, swept from a dead run's hours,
 * read again after being listed (not listed again), overwritten by the run (its write, not a
 * read), read for the first time between flushes, changed under the run before its seal (listed
 * again, or as read after the run's own write).
 */
import { hash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { appendDigest, decodeDigest } from '../../../functions/core/lake/digest.ts';
import { DigestRecorder } from '../../../functions/core/lake/digest-recorder.ts';
import {
  activityKey,
  checkpointKey,
  coverageKey,
  digestPrefix,
} from '../../../functions/core/lake/layout.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');
const hour = (h: number) => day0 + h * HOUR_MS;
const body = (text: string) => new TextEncoder().encode(text);

/** Hours 0-3 stored, a sealed genesis, then a run of hours 2-3 that died before its seal. */
async function lakeWithDeadRun(): Promise<MemoryObjectStore> {
  const lake = new MemoryObjectStore();
  for (let h = 0; h < 4; h++) {
    lake.putNow(activityKey('acme', hour(h)), body(`events ${h}`));
    lake.putNow(coverageKey('acme', hour(h)), body(`manifest ${h}`));
  }
  const digest = { instance: 'acme', createdAt: new Date(hour(4)).toISOString(), objects: [] };
  const head = await appendDigest(lake, {
    ...digest,
    runId: 'earlier',
    sealed: true,
    fromMs: hour(0),
    adopt: async () => ({ entries: [] }),
  });
  await appendDigest(lake, { ...digest, head, runId: 'dead', sealed: false, fromMs: hour(2), toMs: hour(4) });
  return lake;
}

/** The run, and the digests it appended (keys and bytes, in chain order). */
async function recordedRun(): Promise<{ key: string; bytes: Uint8Array }[]> {
  const lake = await lakeWithDeadRun();
  const recorder = new DigestRecorder(lake, {
    instance: 'acme',
    runId: 'run-1',
    clock: { now: () => hour(5) },
  });
  recorder.begin(hour(0), hour(6));
  const checkpoint = checkpointKey('acme');
  await recorder.get(coverageKey('acme', hour(1)));
  await recorder.get(coverageKey('acme', hour(0)));
  await recorder.put(activityKey('acme', hour(4)), body('events 4'));
  await recorder.put(checkpoint, body('checkpoint 1'));
  lake.putNow(coverageKey('acme', hour(0)), body('manifest 0, changed'));
  await recorder.get(coverageKey('acme', hour(0)));
  const swept = await recorder.get(activityKey('acme', hour(2)));
  await recorder.put(activityKey('acme', hour(2)), body('events 2, merged'), { ifMatch: swept?.etag });
  lake.putNow(coverageKey('acme', hour(5)), body('manifest 5'));
  await recorder.get(coverageKey('acme', hour(5)));
  await recorder.put(coverageKey('acme', hour(4)), body('manifest 4'));
  // Listed ahead, found there (a retried put whose first answer was lost), then written.
  recorder.listAhead(coverageKey('acme', hour(6)), body('manifest 6'));
  await recorder.put(activityKey('acme', hour(6)), body('events 6'));
  lake.putNow(coverageKey('acme', hour(6)), body('manifest 6'));
  await recorder.get(coverageKey('acme', hour(6)));
  await recorder.put(coverageKey('acme', hour(6)), body('manifest 6'));
  await recorder.put(checkpoint, body('checkpoint 2'));
  // The dead run, alive after all, writes before this run's seal: its re-read lists both.
  lake.putNow(activityKey('acme', hour(3)), body('events 3, late'));
  lake.putNow(activityKey('acme', hour(2)), body('events 2, late'));
  expect(await recorder.seal()).toBeUndefined();
  const digests: { key: string; bytes: Uint8Array }[] = [];
  for await (const key of lake.list(digestPrefix('acme'))) {
    const stored = await lake.get(key);
    if (stored) digests.push({ key, bytes: stored.body });
  }
  return digests.slice(2);
}

describe("a run's digests", () => {
  it('list the same entries in the same bytes as before the recorder kept its unlisted reads apart', async () => {
    const digests = await recordedRun();
    const listed = digests.map(({ key, bytes }) => {
      const digest = decodeDigest(key, bytes);
      return { sealed: digest.sealed, objects: digest.objects.map((o) => `${o.how} ${o.key}`) };
    });
    const events = (h: string) => `activity_log/instance=acme/dt=2026-10-01/2026-10-01T${h}.ndjson.gz`;
    const manifest = (h: string) => `coverage/instance=acme/dt=2026-10-01/2026-10-01T${h}.json`;
    expect(listed).toEqual([
      {
        sealed: false,
        objects: [
          `read ${events('02')}`,
          `read ${events('03')}`,
          `read ${manifest('00')}`,
          `read ${manifest('01')}`,
          `read ${manifest('02')}`,
          `read ${manifest('03')}`,
        ],
      },
      { sealed: false, objects: [`write ${events('04')}`] },
      { sealed: false, objects: [] },
      { sealed: false, objects: [`write ${events('02')}`, `read ${manifest('05')}`] },
      { sealed: false, objects: [`write ${manifest('04')}`] },
      { sealed: false, objects: [`write ${events('06')}`, `write ${manifest('06')}`] },
      { sealed: true, objects: [`read ${events('02')}`, `read ${events('03')}`] },
    ]);
    const all = Buffer.concat(digests.flatMap(({ key, bytes }) => [Buffer.from(`${key}\n`), bytes]));
    expect(hash('sha256', all), 'the digests changed: the chain is evidence, make it the same').toBe(
      '6eae07d50bba5a6ae07fa6151fcf012767d26926a1331c656bf748f48f30c41f',
    );
  });
});
