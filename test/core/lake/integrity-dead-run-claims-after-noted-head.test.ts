import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { appendDigest, type DigestSigner, sha256Hex } from '../../../functions/core/lake/digest.ts';
import { DigestRecorder } from '../../../functions/core/lake/digest-recorder.ts';
import type { EventRecord } from '../../../functions/core/lake/event-record.ts';
import type { VerifyIntegrityOptions } from '../../../functions/core/lake/integrity-options.ts';
import { activityKey } from '../../../functions/core/lake/layout.ts';
import { decodeNdjsonGzip, encodeNdjsonGzip } from '../../../functions/core/lake/ndjson.ts';
import { verifyIntegrity } from '../../../functions/core/lake/verify-integrity.ts';
import { parseNotedHead } from '../../../functions/core/lake/verify-noted-head.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import type { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';
import {
  forgeFirstRecord,
  recategoriseAllAsLogins,
  SIX_HOUR_LAKE_NOW,
  SIX_HOUR_LAKE_START,
  sixHourConfig,
  sixHourLake,
  sixHourSource,
} from '../../support/six-hour-lake.ts';

const day0 = SIX_HOUR_LAKE_START;
const now = SIX_HOUR_LAKE_NOW;
const itsHour = activityKey('acme', day0 + 2 * HOUR_MS);

/** A P-256 signer, and its public key as `--public-key` takes it. */
function stackKey(): { signer: DigestSigner; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    signer: { keyId: 'stack-key', sign: async (message) => sign('sha256', message, privateKey) },
    publicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
  };
}

/**
 * The six-hour lake, then a re-pull from hour 2 on that lists and writes hour 2 and is killed: its
 * unsealed digest is the head, noted then (a killed CLI re-pull, a Lambda timeout).
 */
async function lakeWithDeadRunAtNotedHead(signer?: DigestSigner) {
  const store = await sixHourLake();
  if (signer)
    await runIngest(
      { ...quietIngestDeps(sixHourSource(), store, now), digestSigner: signer },
      sixHourConfig(),
    );
  const dying = new DigestRecorder(store, {
    instance: 'acme',
    runId: 'dead-run',
    clock: { now: () => now },
    ...(signer ? { signer } : {}),
  });
  dying.begin(day0 + 2 * HOUR_MS);
  const found = await dying.get(itsHour);
  const records = decodeNdjsonGzip(found?.body as Uint8Array) as EventRecord[];
  const itsBytes = encodeNdjsonGzip(records.map((r, i) => (i === 0 ? { ...r, user_name: 'Late Name' } : r)));
  await dying.put(itsHour, itsBytes, { ifMatch: found?.etag as string });
  const head = (await verifyIntegrity(store, 'acme')).head as { key: string; sha256: string };
  return { store, notedHeads: [parseNotedHead(`${head.key}=${head.sha256}`)], noted: head.key };
}

/** An unsigned, unsealed digest in the dead run's name, listing `key`'s bytes now as about to be written. */
const borrowDeadRun = (store: MemoryObjectStore, key: string, fromMs: number) =>
  appendDigest(store, {
    instance: 'acme',
    runId: 'dead-run',
    createdAt: new Date(now).toISOString(),
    objects: [],
    intents: [{ key, sha256: sha256Hex(store.objects.get(key)?.body as Uint8Array) }],
    sealed: false,
    fromMs,
  });

/** The next honest run over the lake: an enrich, or a scheduled ingest an hour on. */
const nextRun = {
  enrich: (store: MemoryObjectStore) => recategoriseAllAsLogins(store),
  ingest: (store: MemoryObjectStore, signer?: DigestSigner) =>
    runIngest(
      {
        ...quietIngestDeps(sixHourSource(), store, now + HOUR_MS),
        ...(signer ? { digestSigner: signer } : {}),
      },
      sixHourConfig(),
      { runId: 'next' },
    ),
};

const changedOf = (key: string, report: Awaited<ReturnType<typeof verifyIntegrity>>) =>
  report.problems.filter((p) => p.kind === 'changed' && p.key === key);
/**
 * The findings on `key` that no digest before the noted head vouches for: claimed only after it,
 * by a dead run's name, the chain cannot tell the ingest's from a forger's (review R-UPGRADE3 M4).
 */
const unvouchedOf = (key: string, report: Awaited<ReturnType<typeof verifyIntegrity>>) =>
  report.problems.filter((p) => p.kind === 'unvouched' && p.key === key);
const recordedKeys = (report: Awaited<ReturnType<typeof verifyIntegrity>>) =>
  report.recordedOnRead.map((r) => r.key);

describe("verify --integrity: a dead run's claims count only from digests before the read and the noted head", () => {
  it('names the dead run for the bytes it listed before the noted head, and a forged hour beside them changed', async () => {
    const { store, notedHeads } = await lakeWithDeadRunAtNotedHead();
    const forged = activityKey('acme', day0 + 4 * HOUR_MS);
    forgeFirstRecord(store, forged);
    await nextRun.enrich(store);
    const report = await verifyIntegrity(store, 'acme', { notedHeads });
    expect(report.recordedOnRead).toEqual([expect.objectContaining({ key: itsHour, runs: ['dead-run'] })]);
    expect(changedOf(forged, report)).toHaveLength(1);
  });

  it.each([
    ['an enrich', 'enrich'],
    ['a scheduled ingest', 'ingest'],
  ] as const)(
    'fails on bytes a digest after the noted head lists in the name of a run open at it, read by %s, as bytes to check',
    async (_, reader) => {
      const { store, notedHeads, noted } = await lakeWithDeadRunAtNotedHead();
      // Review R-SECOND H1: hour 4 forged, and the dead run borrowed after the head to list it.
      const forged = activityKey('acme', day0 + 4 * HOUR_MS);
      const forgedSha = sha256Hex(forgeFirstRecord(store, forged));
      await borrowDeadRun(store, forged, day0 + 2 * HOUR_MS);
      await nextRun[reader](store);
      const report = await verifyIntegrity(store, 'acme', { notedHeads });
      expect(report.ok).toBe(false);
      expect(recordedKeys(report)).not.toContain(forged);
      expect(changedOf(forged, report)).toEqual([]);
      expect(unvouchedOf(forged, report)).toEqual([
        expect.objectContaining({
          sha256: forgedSha,
          detail: expect.stringContaining(
            `run dead-run, never sealed, may have written them, but only digests after the noted head ${noted} say so`,
          ),
        }),
      ]);
      // Its own write, listed before the head, is still its.
      expect(recordedKeys(report)).toContain(itsHour);
    },
  );

  it('fails on bytes of an hour the dead run pulled only as a digest after the noted head says', async () => {
    const { store, notedHeads } = await lakeWithDeadRunAtNotedHead();
    // Hour 1 is before the first hour the dead run pulled: the borrowed digest widens its hours.
    const forged = activityKey('acme', day0 + HOUR_MS);
    forgeFirstRecord(store, forged);
    await borrowDeadRun(store, forged, day0);
    await nextRun.enrich(store);
    const report = await verifyIntegrity(store, 'acme', { notedHeads });
    expect(recordedKeys(report)).not.toContain(forged);
    expect(report.ok).toBe(false);
    expect(unvouchedOf(forged, report)).toEqual([
      expect.objectContaining({ detail: expect.stringContaining('but only digests after the noted head') }),
    ]);
  });

  it('fails on bytes a digest lists as about to be written only after a run read them, noted head or not', async () => {
    const { store } = await lakeWithDeadRunAtNotedHead();
    const forged = activityKey('acme', day0 + 4 * HOUR_MS);
    const forgedBytes = forgeFirstRecord(store, forged);
    await nextRun.enrich(store);
    // Listed after the enrich read them (and wrote over them): no honest write is listed so late.
    await appendDigest(store, {
      instance: 'acme',
      runId: 'dead-run',
      createdAt: new Date(now).toISOString(),
      objects: [],
      intents: [{ key: forged, sha256: sha256Hex(forgedBytes) }],
      sealed: false,
      fromMs: day0 + 2 * HOUR_MS,
    });
    const report = await verifyIntegrity(store, 'acme');
    expect(recordedKeys(report)).toEqual([itsHour]);
    expect(changedOf(forged, report)).toEqual([
      expect.objectContaining({
        sha256: sha256Hex(forgedBytes),
        detail: expect.stringContaining('and not these'),
      }),
    ]);
  });

  it('finds the borrowed digest unsigned on a signed chain checked with the key', async () => {
    const { signer, publicKey } = stackKey();
    const { store, notedHeads } = await lakeWithDeadRunAtNotedHead(signer);
    const forged = activityKey('acme', day0 + 4 * HOUR_MS);
    forgeFirstRecord(store, forged);
    await borrowDeadRun(store, forged, day0 + 2 * HOUR_MS);
    await nextRun.ingest(store, signer);
    const options: VerifyIntegrityOptions = { notedHeads, publicKey };
    const report = await verifyIntegrity(store, 'acme', options);
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => p.kind)).toContain('unsigned');
  });

  it('settles a run killed after the noted head as bytes to check: accepted, the check passes', async () => {
    // Review R-UPGRADE3 M4: an unsigned chain, its head noted, then a re-pull killed (kill -9) and
    // sealed by the next run. Its writes were "changed outside the ingest", and once accepted,
    // "holds-changed": the check could never pass.
    const store = await sixHourLake();
    const head = (await verifyIntegrity(store, 'acme')).head as { key: string; sha256: string };
    const notedHeads = [parseNotedHead(`${head.key}=${head.sha256}`)];
    const dying = new DigestRecorder(store, { instance: 'acme', runId: 'killed', clock: { now: () => now } });
    dying.begin(day0 + 2 * HOUR_MS, day0 + 4 * HOUR_MS, 'range');
    const found = await dying.get(itsHour);
    const records = decodeNdjsonGzip(found?.body as Uint8Array) as EventRecord[];
    const itsBytes = encodeNdjsonGzip(
      records.map((r, i) => (i === 0 ? { ...r, user_name: 'Late Name' } : r)),
    );
    await dying.put(itsHour, itsBytes, { ifMatch: found?.etag as string });
    await nextRun.ingest(store);
    const report = await verifyIntegrity(store, 'acme', { notedHeads });
    expect(report.ok).toBe(false);
    const kinds = new Set(report.problems.map((p) => p.kind));
    expect(kinds).toEqual(new Set(['unvouched', 'changed-since-noted']));
    const unvouched = report.problems.filter((p) => p.kind === 'unvouched');
    expect(unvouched).toEqual([
      expect.objectContaining({
        key: itsHour,
        sha256: sha256Hex(itsBytes),
        detail: expect.not.stringContaining('changed outside the ingest'),
        // Grouped by the run, for the range check and the accept commands the report prints.
        runs: [expect.objectContaining({ runId: 'killed' })],
      }),
    ]);
    const accepted = await verifyIntegrity(store, 'acme', { notedHeads, accepted: report.problems });
    expect(accepted.problems).toEqual([]);
    expect(accepted.ok).toBe(true);
  });
});
