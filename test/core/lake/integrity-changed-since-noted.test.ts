import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import {
  appendDigest,
  type DigestEntry,
  type DigestSigner,
  sha256Hex,
} from '../../../functions/core/lake/digest.ts';
import { activityKey, coverageKey } from '../../../functions/core/lake/layout.ts';
import { changedSinceNotedDetail } from '../../../functions/core/lake/verify-changed-since-noted.ts';
import { verifyIntegrity } from '../../../functions/core/lake/verify-integrity.ts';
import { parseNotedHead } from '../../../functions/core/lake/verify-noted-head.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { viewEntry } from '../../support/memory-audit-source.ts';
import { forgeFirstRecord } from '../../support/six-hour-lake.ts';
import { DAY0, lakeAfterOneRun, oneDayConfig } from './support/one-run-lake.ts';

/**
 * A lake of hours 0-5 after one run at 06:30, its head noted as the check printed it; no versions
 * are passed to the check (a lake on disk, an evidence copy): the noted head is all there is.
 */
async function lakeWithNotedHead(options: { emptyHour?: number } = {}) {
  const lake = await lakeAfterOneRun(options);
  const first = await verifyIntegrity(lake.store, 'acme');
  expect(first.ok).toBe(true);
  const head = first.head as { key: string; sha256: string };
  const notedHeads = [parseNotedHead(`${head.key}=${head.sha256}`)];
  /**
   * The next scheduled run at 07:30: it pulls hour 6 and re-pulls hours 4-5 (lookback 2 h), or,
   * with `lookbackHours` 0, hour 6 alone.
   */
  const nextRun = async (signer?: DigestSigner, lookbackHours?: number) => {
    lake.setClock(DAY0 + 7 * HOUR_MS + 30 * 60_000);
    await runIngest(
      { ...lake.deps, ...(signer ? { digestSigner: signer } : {}) },
      { ...oneDayConfig(), ...(lookbackHours === undefined ? {} : { lookbackHours }) },
    );
  };
  return { ...lake, head, notedHeads, nextRun };
}

const shaOf = (store: { objects: Map<string, { body: Uint8Array }> }, key: string) =>
  sha256Hex(store.objects.get(key)?.body as Uint8Array);

describe('verify --integrity: objects rewritten after the noted head', () => {
  it('fails on a digest forged after the noted head that lists an older object rewritten', async () => {
    const { store, head, notedHeads } = await lakeWithNotedHead();
    // Review R-VERIFY2: hour 1 rewritten, and a digest linked to the noted head's real sha256
    // listing the rewrite as a re-pull's write over the version recorded.
    const hour1 = activityKey('acme', DAY0 + HOUR_MS);
    const old = shaOf(store, hour1);
    const forged = forgeFirstRecord(store, hour1);
    const after = head.key.replace(/\d+(?=\.json$)/, (n) => String(Number(n) + 1).padStart(n.length, '0'));
    await appendDigest(store, {
      instance: 'acme',
      runId: 'repull-forged',
      createdAt: '2026-10-01T08:00:00.000Z',
      objects: [
        {
          key: hour1,
          sha256: sha256Hex(forged),
          bytes: forged.length,
          records: 3,
          how: 'write',
          replaced: old,
        },
      ],
      sealed: true,
      fromMs: DAY0,
      toMs: DAY0 + 2 * HOUR_MS,
      mode: 'range',
    });
    // What the review saw: the chain alone, and the noted head, both hold.
    expect(await verifyIntegrity(store, 'acme')).toMatchObject({ ok: true, problems: [] });
    const report = await verifyIntegrity(store, 'acme', { notedHeads });
    expect(report.notedHeads).toEqual([head]);
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([
      {
        kind: 'changed-since-noted',
        key: hour1,
        sha256: sha256Hex(forged),
        notedSha256: old,
        recorded: { sha256: sha256Hex(forged), digest: after, runId: 'repull-forged' },
        detail: expect.stringContaining(
          `the digests up to the noted head ${head.key} recorded sha256 ${old.slice(0, 12)}… for it; the store holds sha256 ${sha256Hex(forged).slice(0, 12)}… now; ${after}, of run repull-forged, after that head, lists them`,
        ),
      },
    ]);
    // The hour's age tells a re-pull's recent hours from an old one: hour 1 began 5 h before.
    expect(report.problems[0]?.detail).toContain(
      'its hour began 5 hour(s) before the noted head was written',
    );
    expect(report.changedSinceNoted).toMatchObject({ after: head.key, signed: false, count: 1 });
    expect(report.problems[0]?.detail).toContain('No checked signature vouches for the digests after');
  });

  it('says no digest follows the noted head when it is the chain head, not that none is signed', async () => {
    const { store, notedHeads } = await lakeWithNotedHead();
    const hour1 = activityKey('acme', DAY0 + HOUR_MS);
    forgeFirstRecord(store, hour1);
    const [problem] = (await verifyIntegrity(store, 'acme', { notedHeads })).problems.filter(
      (p) => p.kind === 'changed-since-noted',
    );
    expect(problem?.detail).toContain(
      `No digest follows the noted head (it is the chain's head): no run since wrote these bytes`,
    );
    expect(problem?.detail).not.toContain('No checked signature');
  });

  // REVIEW89B: an object created (or gone) after the noted head was sent to the erasure's
  // accepted `changed` findings too, which never accept it.
  it('at the chain head, points only a rewrite to the accepted finding of an erasure', () => {
    const noted = { key: 'digest/instance=acme/0000000001.json', createdAt: undefined, isHead: true };
    const key = activityKey('acme', DAY0 + HOUR_MS);
    const sha256 = 'ab'.repeat(32);
    const of = (what: 'changed' | 'gone' | 'created', notedSha256: string | null) =>
      changedSinceNotedDetail({ key, what, notedSha256, sha256 }, noted);
    const erasure = 'finding of these same bytes accepts this one';
    expect(of('changed', 'cd'.repeat(32))).toContain(`rewritten outside the ingest, by hand (an erasure`);
    expect(of('changed', 'cd'.repeat(32))).toContain(erasure);
    for (const [what, notedSha256] of [
      ['created', null],
      ['gone', 'cd'.repeat(32)],
    ] as const) {
      expect(of(what, notedSha256)).not.toContain(erasure);
      expect(of(what, notedSha256)).toContain('no accepted `changed` finding accepts this one');
    }
  });

  it('names the hours an honest later run re-pulled with a late event, acceptable by their bytes', async () => {
    const { store, source, notedHeads, nextRun } = await lakeWithNotedHead();
    const hour5 = activityKey('acme', DAY0 + 5 * HOUR_MS);
    const [manifest4, manifest5] = [4, 5].map((h) => coverageKey('acme', DAY0 + h * HOUR_MS));
    const old = shaOf(store, hour5);
    source.add(viewEntry(DAY0 + 5 * HOUR_MS + 1, 99));
    await nextRun();
    expect(shaOf(store, hour5)).not.toBe(old);
    const report = await verifyIntegrity(store, 'acme', { notedHeads });
    expect(report.ok).toBe(false);
    // Hour 4's events, re-pulled with nothing new, are not rewritten, but its manifest (the run
    // that pulled it) is; hour 6 is new, not changed.
    expect(report.problems.map((p) => [p.kind, p.key, p.sha256, p.notedSha256 !== undefined])).toEqual([
      ['changed-since-noted', manifest4, shaOf(store, manifest4 as string), true],
      ['changed-since-noted', hour5, shaOf(store, hour5), true],
      ['changed-since-noted', manifest5, shaOf(store, manifest5 as string), true],
    ]);
    expect(report.problems[1]).toMatchObject({ notedSha256: old });
    expect(report.problems[1]?.detail).toContain('its hour began 1 hour(s) before the noted head');
    const again = await verifyIntegrity(store, 'acme', { notedHeads, accepted: report.problems });
    expect(again).toMatchObject({ ok: true, problems: [] });
    expect(again.accepted.map((p) => p.key)).toEqual([manifest4, hour5, manifest5]);
    // Accepted for those bytes only: the hour rewritten again is a finding again.
    forgeFirstRecord(store, hour5);
    await appendDigest(store, {
      instance: 'acme',
      runId: 'repull-forged',
      createdAt: '2026-10-01T08:00:00.000Z',
      objects: [
        {
          key: hour5,
          sha256: shaOf(store, hour5),
          bytes: 1,
          records: 1,
          how: 'write',
          replaced: report.problems[1]?.sha256 as string,
        },
      ],
      sealed: true,
      fromMs: DAY0,
    });
    const rewritten = await verifyIntegrity(store, 'acme', { notedHeads, accepted: report.problems });
    expect(rewritten.ok).toBe(false);
    expect(rewritten.problems.map((p) => [p.kind, p.key, p.sha256])).toEqual([
      ['changed-since-noted', hour5, shaOf(store, hour5)],
    ]);
  });

  it('passes clean when the runs after the noted head only added new hours', async () => {
    const { store, source, notedHeads, nextRun } = await lakeWithNotedHead();
    source.add(viewEntry(DAY0 + 6 * HOUR_MS + 5 * 60_000, 50));
    await nextRun(undefined, 0);
    expect(store.objects.has(activityKey('acme', DAY0 + 6 * HOUR_MS))).toBe(true);
    const report = await verifyIntegrity(store, 'acme', { notedHeads });
    expect(report).toMatchObject({ ok: true, problems: [], changedSinceNoted: { signed: false, count: 0 } });
  });

  it('lists a rewrite by signed runs, checked with the public key, as information only', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const signer: DigestSigner = { keyId: 'k', sign: async (message) => sign('sha256', message, privateKey) };
    const publicDer = publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
    const { store, source, notedHeads, nextRun } = await lakeWithNotedHead();
    const hour5 = activityKey('acme', DAY0 + 5 * HOUR_MS);
    source.add(viewEntry(DAY0 + 5 * HOUR_MS + 1, 99));
    await nextRun(signer);
    const checked = await verifyIntegrity(store, 'acme', { notedHeads, publicKey: publicDer });
    expect(checked).toMatchObject({ ok: true, problems: [] });
    expect(checked.changedSinceNoted).toMatchObject({ signed: true, count: 3 });
    expect(checked.changedSinceNoted?.objects.map((c) => c.key)).toContain(hour5);
    // The same signed chain checked without the key: no signature vouches for the run, findings.
    const unchecked = await verifyIntegrity(store, 'acme', { notedHeads });
    expect(unchecked.ok).toBe(false);
    expect(unchecked.problems.map((p) => p.kind)).toEqual(Array(3).fill('changed-since-noted'));
    expect(unchecked.problems.map((p) => p.key)).toContain(hour5);
  });
});

/** A digest appended as a forger would: linked to the chain's head, listing `objects`. */
const forgeDigest = (
  store: Parameters<typeof appendDigest>[0],
  runId: string,
  objects: Pick<DigestEntry, 'key' | 'sha256' | 'how' | 'replaced'>[],
  sealed = true,
) =>
  appendDigest(store, {
    instance: 'acme',
    runId,
    createdAt: '2026-10-01T08:00:00.000Z',
    objects: objects.map((o) => ({ bytes: 1, records: 1, ...o })),
    sealed,
    fromMs: DAY0,
    toMs: DAY0 + 6 * HOUR_MS,
    mode: 'range',
  });

/** The kinds and keys of a report's findings. */
const found = (report: { problems: { kind: string; key: string }[] }) =>
  report.problems.map((p) => [p.kind, p.key]);

/**
 * Review R-VERIFY3: forgeries on an unsigned chain that the digests after the noted head explained
 * away. What they say an object now is vouches for nothing: the bytes stored are compared with
 * the state at the noted head.
 */
describe('verify --integrity: what the store holds against the noted head', () => {
  it('G3: fails on a rewrite listed as written, then read back at the noted bytes', async () => {
    const { store, notedHeads } = await lakeWithNotedHead();
    const hour1 = activityKey('acme', DAY0 + HOUR_MS);
    const noted = shaOf(store, hour1);
    const forged = sha256Hex(forgeFirstRecord(store, hour1));
    await forgeDigest(store, 'forged', [
      { key: hour1, sha256: forged, how: 'write' },
      { key: hour1, sha256: noted, how: 'read' },
    ]);
    const report = await verifyIntegrity(store, 'acme', { notedHeads });
    expect(report.ok).toBe(false);
    expect(report.problems).toContainEqual(
      expect.objectContaining({
        kind: 'changed-since-noted',
        key: hour1,
        sha256: forged,
        notedSha256: noted,
      }),
    );
  });

  it('G3: a finding accepted for bytes S1 does not cover S2 stored while S1 is listed last', async () => {
    const { store, notedHeads } = await lakeWithNotedHead();
    const hour1 = activityKey('acme', DAY0 + HOUR_MS);
    const noted = shaOf(store, hour1);
    const s1 = sha256Hex(forgeFirstRecord(store, hour1));
    await forgeDigest(store, 'forged-1', [{ key: hour1, sha256: s1, how: 'write', replaced: noted }]);
    const first = await verifyIntegrity(store, 'acme', { notedHeads });
    expect(found(first)).toEqual([['changed-since-noted', hour1]]);
    // S2 stored and listed as written, then S1 listed last: the chain says S1, the store holds S2.
    store.putNow(hour1, new TextEncoder().encode('S2'));
    await forgeDigest(store, 'forged-2', [
      { key: hour1, sha256: shaOf(store, hour1), how: 'write', replaced: s1 },
      { key: hour1, sha256: s1, how: 'read' },
    ]);
    const report = await verifyIntegrity(store, 'acme', { notedHeads, accepted: first.problems });
    expect(report.ok).toBe(false);
    expect(report.problems).toContainEqual(
      expect.objectContaining({ kind: 'changed-since-noted', key: hour1, sha256: shaOf(store, hour1) }),
    );
  });

  it('B2: a forged unsealed run started after the noted head excuses no version read after it', async () => {
    const { store, notedHeads } = await lakeWithNotedHead();
    const hour1 = activityKey('acme', DAY0 + HOUR_MS);
    const noted = shaOf(store, hour1);
    const forged = sha256Hex(forgeFirstRecord(store, hour1));
    await forgeDigest(store, 'dead-forged', [], false);
    await forgeDigest(store, 'reader-forged', [{ key: hour1, sha256: forged, how: 'read' }]);
    // Without the noted head, the chain alone cannot tell it from the write of a run of a version
    // that listed no intents: a finding all the same, for a person to check.
    const alone = await verifyIntegrity(store, 'acme');
    expect(alone.recordedOnRead).toEqual([]);
    expect(alone.problems).toEqual([
      expect.objectContaining({ kind: 'unvouched', key: hour1, sha256: forged }),
    ]);
    const report = await verifyIntegrity(store, 'acme', { notedHeads });
    expect(report.ok).toBe(false);
    expect(report.recordedOnRead).toEqual([]);
    expect(report.problems).toContainEqual(
      expect.objectContaining({
        kind: 'unvouched',
        key: hour1,
        sha256: forged,
        // A run may have written them, but one that began after the noted head (L2): the chain
        // cannot tell its bytes from a forger's (review R-UPGRADE3 M4: not "changed outside").
        detail: expect.stringMatching(
          /run dead-forged, never sealed, may have written them, but only digests after the noted head/,
        ),
      }),
    );
    expect(report.problems.filter((p) => p.kind === 'changed')).toEqual([]);
    expect(report.problems).toContainEqual(
      expect.objectContaining({
        kind: 'changed-since-noted',
        key: hour1,
        sha256: forged,
        notedSha256: noted,
      }),
    );
  });

  it('C1: fails on an events object created in an hour that had none at the noted head', async () => {
    const { store, notedHeads } = await lakeWithNotedHead({ emptyHour: 2 });
    const hour2 = activityKey('acme', DAY0 + 2 * HOUR_MS);
    const manifest2 = coverageKey('acme', DAY0 + 2 * HOUR_MS);
    expect(store.objects.has(hour2)).toBe(false);
    const notedManifest = shaOf(store, manifest2);
    // A fake event, copied from hour 1, and the hour's manifest rewritten to count it.
    const hour1 = activityKey('acme', DAY0 + HOUR_MS);
    store.putNow(hour2, store.objects.get(hour1)?.body as Uint8Array);
    const manifest = JSON.parse(new TextDecoder().decode(store.objects.get(manifest2)?.body));
    store.putNow(manifest2, new TextEncoder().encode(JSON.stringify({ ...manifest, event_count: 3 })));
    await forgeDigest(store, 'forged', [
      { key: hour2, sha256: shaOf(store, hour2), how: 'write', replaced: null },
      { key: manifest2, sha256: shaOf(store, manifest2), how: 'write', replaced: notedManifest },
    ]);
    const report = await verifyIntegrity(store, 'acme', { notedHeads });
    expect(report.ok).toBe(false);
    expect(found(report)).toEqual([
      ['changed-since-noted', manifest2],
      ['created-since-noted', hour2],
    ]);
    expect(report.problems[1]).toMatchObject({ sha256: shaOf(store, hour2) });
    expect(report.problems[1]).not.toHaveProperty('notedSha256');
    expect(report.problems[1]?.detail).toContain('list no object here, though its hour is one they cover');
    // Accepted for those bytes, it passes; other bytes there are a finding again.
    const accepted = await verifyIntegrity(store, 'acme', { notedHeads, accepted: report.problems });
    expect(accepted).toMatchObject({ ok: true, problems: [] });
    store.putNow(hour2, store.objects.get(activityKey('acme', DAY0))?.body as Uint8Array);
    const again = await verifyIntegrity(store, 'acme', { notedHeads, accepted: report.problems });
    expect(again.problems).toContainEqual(
      expect.objectContaining({ kind: 'created-since-noted', key: hour2, sha256: shaOf(store, hour2) }),
    );
  });

  it('D1: fails on a coverage manifest rewritten alone, listed as a re-pull', async () => {
    const { store, notedHeads } = await lakeWithNotedHead();
    const manifest1 = coverageKey('acme', DAY0 + HOUR_MS);
    const noted = shaOf(store, manifest1);
    const manifest = JSON.parse(new TextDecoder().decode(store.objects.get(manifest1)?.body));
    const rewritten = {
      ...manifest,
      late_events: 40,
      out_of_window_count: 7,
      fetch_count: 9,
      geo_db_version: 'x',
    };
    store.putNow(manifest1, new TextEncoder().encode(JSON.stringify(rewritten)));
    await forgeDigest(store, 'forged', [
      { key: manifest1, sha256: shaOf(store, manifest1), how: 'write', replaced: noted },
    ]);
    const report = await verifyIntegrity(store, 'acme', { notedHeads });
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([
      expect.objectContaining({
        kind: 'changed-since-noted',
        key: manifest1,
        sha256: shaOf(store, manifest1),
        notedSha256: noted,
        recorded: expect.objectContaining({ runId: 'forged' }),
      }),
    ]);
  });

  it('covers the hours the state at the head covers, not only those the head run pulled (R-VERIFY4)', async () => {
    const { store } = await lakeWithNotedHead({ emptyHour: 4 });
    // The head noted is an enrich of hour 0 alone (that changed nothing), after the lake covered
    // hours 0-5.
    await appendDigest(store, {
      instance: 'acme',
      runId: 'enrich-hour-0',
      createdAt: '2026-10-01T07:00:00.000Z',
      objects: [],
      sealed: true,
      fromMs: DAY0,
      toMs: DAY0 + HOUR_MS,
    });
    const head = (await verifyIntegrity(store, 'acme')).head as { key: string; sha256: string };
    const notedHeads = [parseNotedHead(`${head.key}=${head.sha256}`)];
    // An events object made up in hour 4, which had none, and a digest listing it.
    const hour4 = activityKey('acme', DAY0 + 4 * HOUR_MS);
    store.putNow(hour4, store.objects.get(activityKey('acme', DAY0 + HOUR_MS))?.body as Uint8Array);
    await forgeDigest(store, 'forged', [
      { key: hour4, sha256: shaOf(store, hour4), how: 'write', replaced: null },
    ]);
    const report = await verifyIntegrity(store, 'acme', { notedHeads });
    expect(found(report)).toEqual([['created-since-noted', hour4]]);
  });

  it('makes no finding of the next run hours after a head whose run stopped before its end', async () => {
    const { store, source, nextRun } = await lakeWithNotedHead();
    // The head noted is a backfill stopped by its time budget: it meant to pull a day, covered 0-5.
    await appendDigest(store, {
      instance: 'acme',
      runId: 'stopped-early',
      createdAt: '2026-10-01T07:00:00.000Z',
      objects: [],
      sealed: true,
      fromMs: DAY0,
      toMs: DAY0 + 24 * HOUR_MS,
      mode: 'checkpoint',
    });
    const head = (await verifyIntegrity(store, 'acme')).head as { key: string; sha256: string };
    const notedHeads = [parseNotedHead(`${head.key}=${head.sha256}`)];
    source.add(viewEntry(DAY0 + 6 * HOUR_MS + 5 * 60_000, 50));
    await nextRun(undefined, 0);
    expect(store.objects.has(activityKey('acme', DAY0 + 6 * HOUR_MS))).toBe(true);
    const report = await verifyIntegrity(store, 'acme', { notedHeads });
    expect(report).toMatchObject({ ok: true, problems: [] });
  });

  it('says a created key that is no hour object is none, not that its hour is covered', () => {
    const noted = { key: 'digest/instance=acme/0000000001.json', createdAt: '2026-10-01T07:00:00.000Z' };
    const of = (key: string) =>
      changedSinceNotedDetail({ key, what: 'created', notedSha256: null, sha256: 'ab'.repeat(32) }, noted);
    expect(of('activity_log/instance=acme/dt=2026-10-01/sub/x.ndjson.gz')).toContain(
      "its key is no hour's object of this lake",
    );
    expect(of(activityKey('acme', DAY0 + HOUR_MS))).toContain('though its hour is one they cover');
  });

  it('names a noted object gone since', async () => {
    const { store, notedHeads } = await lakeWithNotedHead();
    const hour1 = activityKey('acme', DAY0 + HOUR_MS);
    const noted = shaOf(store, hour1);
    store.objects.delete(hour1);
    const report = await verifyIntegrity(store, 'acme', { notedHeads });
    expect(report.problems).toContainEqual(
      expect.objectContaining({
        kind: 'changed-since-noted',
        key: hour1,
        notedSha256: noted,
        sha256: sha256Hex(new Uint8Array()),
        detail: expect.stringContaining('the object is gone now'),
      }),
    );
  });
});
