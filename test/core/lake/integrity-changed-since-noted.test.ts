import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { appendDigest, type DigestSigner, sha256Hex } from '../../../functions/core/lake/digest.ts';
import { activityKey, HOUR_MS } from '../../../functions/core/lake/layout.ts';
import { verifyIntegrity } from '../../../functions/core/lake/verify-integrity.ts';
import { parseNotedHead } from '../../../functions/core/lake/verify-noted-head.ts';
import { viewEntry } from '../../support/memory-audit-source.ts';
import { forgeFirstRecord } from '../../support/six-hour-lake.ts';
import { DAY0, lakeAfterOneRun, oneDayConfig } from './support/one-run-lake.ts';

/**
 * A lake of hours 0-5 after one run at 06:30, its head noted as the check printed it; no versions
 * are passed to the check (a lake on disk, an evidence copy): the noted head is all there is.
 */
async function lakeWithNotedHead() {
  const lake = await lakeAfterOneRun();
  const first = await verifyIntegrity(lake.store, 'acme');
  expect(first.ok).toBe(true);
  const head = first.head as { key: string; sha256: string };
  const notedHeads = [parseNotedHead(`${head.key}=${head.sha256}`)];
  /** The next scheduled run at 07:30: it pulls hour 6 and re-pulls hours 4-5 (lookback 2 h). */
  const nextRun = async (signer?: DigestSigner) => {
    lake.setClock(DAY0 + 7 * HOUR_MS + 30 * 60_000);
    await runIngest({ ...lake.deps, ...(signer ? { digestSigner: signer } : {}) }, oneDayConfig());
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
          `the digests up to the noted head ${head.key} recorded sha256 ${old.slice(0, 12)}… for it; ${after}, of run repull-forged, after that head, lists a write over it`,
        ),
      },
    ]);
    // The hour's age tells a re-pull's recent hours from an old one: hour 1 began 5 h before.
    expect(report.problems[0]?.detail).toContain(
      'its hour began 5 hour(s) before the noted head was written',
    );
    expect(report.changedSinceNoted).toMatchObject({ after: head.key, signed: false, count: 1 });
  });

  it('names the hours an honest later run re-pulled with a late event, acceptable by their bytes', async () => {
    const { store, source, notedHeads, nextRun } = await lakeWithNotedHead();
    const hour5 = activityKey('acme', DAY0 + 5 * HOUR_MS);
    const old = shaOf(store, hour5);
    source.add(viewEntry(DAY0 + 5 * HOUR_MS + 1, 99));
    await nextRun();
    expect(shaOf(store, hour5)).not.toBe(old);
    const report = await verifyIntegrity(store, 'acme', { notedHeads });
    expect(report.ok).toBe(false);
    // Hour 4, re-pulled with nothing new, is not rewritten; hour 6 is new, not changed.
    expect(report.problems.map((p) => [p.kind, p.key, p.sha256, p.notedSha256])).toEqual([
      ['changed-since-noted', hour5, shaOf(store, hour5), old],
    ]);
    expect(report.problems[0]?.detail).toContain('its hour began 1 hour(s) before the noted head');
    const again = await verifyIntegrity(store, 'acme', { notedHeads, accepted: report.problems });
    expect(again).toMatchObject({ ok: true, problems: [] });
    expect(again.accepted.map((p) => p.key)).toEqual([hour5]);
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
          replaced: report.problems[0]?.sha256 as string,
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
    const { store, notedHeads, nextRun } = await lakeWithNotedHead();
    await nextRun();
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
    expect(checked.changedSinceNoted).toMatchObject({ signed: true, count: 1, objects: [{ key: hour5 }] });
    // The same signed chain checked without the key: no signature vouches for the run, a finding.
    const unchecked = await verifyIntegrity(store, 'acme', { notedHeads });
    expect(unchecked.ok).toBe(false);
    expect(unchecked.problems.map((p) => [p.kind, p.key])).toEqual([['changed-since-noted', hour5]]);
  });
});
