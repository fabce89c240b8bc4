import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import {
  AcceptedFindingsError,
  parseAcceptedFindings,
} from '../../../functions/core/lake/accepted-findings.ts';
import {
  type DigestSigner,
  decodeDigest,
  encodeDigest,
  listDigestKeys,
  sha256Hex,
} from '../../../functions/core/lake/digest.ts';
import type { IntegrityReport } from '../../../functions/core/lake/integrity-report.ts';
import { activityKey, digestKey } from '../../../functions/core/lake/layout.ts';
import { verifyIntegrity } from '../../../functions/core/lake/verify-integrity.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { appendEmptyDigests } from '../../support/empty-digests.ts';
import { viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';
import {
  forgeFirstRecord,
  SIX_HOUR_LAKE_NOW,
  SIX_HOUR_LAKE_START,
  sixHourConfig,
  sixHourSource,
} from '../../support/six-hour-lake.ts';
import { VersionedMemoryStore } from '../../support/versioned-memory-store.ts';

const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const signer: DigestSigner = {
  keyId: 'k',
  sign: async (message) => sign('sha256', message, keys.privateKey),
};
const publicKey = keys.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');

/** The report as `verify --integrity --json` writes it, read back as an `--accept` file. */
const acceptedFrom = (report: IntegrityReport) =>
  parseAcceptedFindings(JSON.parse(JSON.stringify({ integrity: report })), 'report.json');

/**
 * The six-hour lake, signed, then one more run whose digest is not (the command line's race with
 * the first signed digest, which the docs say to check and accept).
 */
async function unsignedHead() {
  const store = new MemoryObjectStore();
  const source = sixHourSource();
  await runIngest(
    { ...quietIngestDeps(source, store, SIX_HOUR_LAKE_NOW), digestSigner: signer },
    sixHourConfig(),
  );
  source.add(viewEntry(SIX_HOUR_LAKE_START + 6 * HOUR_MS + 1, 99));
  await runIngest(quietIngestDeps(source, store, SIX_HOUR_LAKE_NOW + HOUR_MS), sixHourConfig());
  const head = (await listDigestKeys(store, 'acme')).at(-1) as string;
  return { store, head };
}

/**
 * What a forger without the key does: changes an hour, and lists the forged bytes in the unsigned
 * head as a write over the recorded ones.
 */
function forgeIntoHead(store: MemoryObjectStore, head: string): void {
  const hour = activityKey('acme', SIX_HOUR_LAKE_START + 2 * HOUR_MS);
  const before = store.objects.get(hour)?.body as Uint8Array;
  const forged = forgeFirstRecord(store, hour);
  const digest = decodeDigest(head, store.objects.get(head)?.body as Uint8Array);
  const entry = {
    key: hour,
    sha256: sha256Hex(forged),
    bytes: forged.length,
    records: 3,
    how: 'write' as const,
    replaced: sha256Hex(before),
  };
  store.putNow(head, encodeDigest({ ...digest, objects: [...digest.objects, entry] }));
}

describe('accepting a finding about a digest', () => {
  it('holds for the digest bytes it named: an unsigned head rewritten later is a new finding', async () => {
    const { store, head } = await unsignedHead();
    const incident = await verifyIntegrity(store, 'acme', { publicKey });
    // The run appends a digest at each of its checkpoints: each unsigned, each a finding.
    expect(new Set(incident.problems.map((p) => p.kind))).toEqual(new Set(['unsigned']));
    expect(incident.problems.at(-1)).toMatchObject({
      kind: 'unsigned',
      key: head,
      sha256: sha256Hex(store.objects.get(head)?.body as Uint8Array),
    });
    const accepted = acceptedFrom(incident);
    expect(await verifyIntegrity(store, 'acme', { publicKey, accepted })).toMatchObject({
      ok: true,
      problems: [],
    });

    forgeIntoHead(store, head);
    const forged = await verifyIntegrity(store, 'acme', { publicKey, accepted });
    expect(forged.ok).toBe(false);
    expect(forged.problems.map((p) => `${p.kind} ${p.key}`)).toEqual([`unsigned ${head}`]);
    expect(forged.problems[0]?.detail).toContain(
      `the digest (sha256 ${sha256Hex(store.objects.get(head)?.body as Uint8Array).slice(0, 12)}…)`,
    );
    expect(forged.acceptedNotFound.map((f) => f.key)).toEqual([head]);
  });

  it('refuses a list from before digest findings carried a sha256, typed for the command to say run the check again', () => {
    const old = [{ kind: 'unsigned', key: 'digest/instance=acme/0000000005.json' }];
    expect(() => parseAcceptedFindings(old, 'old.json')).toThrow(
      /old\.json: finding 1 \(unsigned digest\/instance=acme\/0000000005\.json\) has no sha256: .*cannot say which bytes\.$/,
    );
    expect(() => parseAcceptedFindings(old, 'old.json')).toThrow(
      expect.objectContaining({ constructor: AcceptedFindingsError, staleDigestFinding: true }),
    );
    const object = [{ kind: 'changed', key: 'activity_log/x' }];
    expect(() => parseAcceptedFindings(object, 'old.json')).toThrow(
      expect.objectContaining({ staleDigestFinding: false }),
    );
    for (const kind of ['bad-signature', 'bad-digest', 'broken-link', 'digest-deleted']) {
      expect(() => parseAcceptedFindings([{ kind, key: 'k' }], 'old.json')).toThrow(/has no sha256/);
    }
  });

  it('holds a broken link to the digest before it: one put back in the gap is a new finding', async () => {
    const store = new MemoryObjectStore();
    await appendEmptyDigests(store, 4);
    const gap = digestKey('acme', 2);
    const original = store.objects.get(gap)?.body as Uint8Array;
    store.objects.delete(gap);
    const incident = await verifyIntegrity(store, 'acme');
    expect(incident.problems).toEqual([
      expect.objectContaining({ kind: 'broken-link', key: gap, sha256: sha256Hex(new Uint8Array()) }),
      expect.objectContaining({
        kind: 'broken-link',
        key: digestKey('acme', 3),
        previousSha256: sha256Hex(store.objects.get(digestKey('acme', 1))?.body as Uint8Array),
      }),
    ]);
    const accepted = acceptedFrom(incident);
    expect((await verifyIntegrity(store, 'acme', { accepted })).ok).toBe(true);

    // Another digest at the gap, linked to the one before it: the next one's link does not name it.
    const digest = decodeDigest(gap, original);
    store.putNow(gap, encodeDigest({ ...digest, run_id: 'forger' }));
    const refilled = await verifyIntegrity(store, 'acme', { accepted });
    expect(refilled.ok).toBe(false);
    expect(refilled.problems.map((p) => `${p.kind} ${p.key}`)).toEqual([
      `broken-link ${digestKey('acme', 3)}`,
    ]);
  });

  it('holds a deleted digest for the digest at its key: written over again, it is a new finding', async () => {
    const store = new VersionedMemoryStore();
    await appendEmptyDigests(store, 2);
    const head = digestKey('acme', 1);
    const body = store.objects.get(head)?.body as Uint8Array;
    store.delete(head);
    store.putNow(head, body);
    const incident = await verifyIntegrity(store, 'acme', { versions: store });
    expect(incident.problems).toEqual([
      expect.objectContaining({ kind: 'digest-deleted', key: head, sha256: sha256Hex(body) }),
    ]);
    const accepted = acceptedFrom(incident);
    expect((await verifyIntegrity(store, 'acme', { versions: store, accepted })).ok).toBe(true);

    const digest = decodeDigest(head, body);
    store.putNow(head, encodeDigest({ ...digest, run_id: 'forger' }));
    const again = await verifyIntegrity(store, 'acme', { versions: store, accepted });
    expect(again.ok).toBe(false);
    expect(again.problems.map((p) => `${p.kind} ${p.key}`)).toEqual([`digest-deleted ${head}`]);
  });
});
