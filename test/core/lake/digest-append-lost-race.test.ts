import { describe, expect, it } from 'vitest';
import {
  appendDigest,
  type DigestEntry,
  decodeDigest,
  listDigestKeys,
  readDigestHead,
  sha256Hex,
} from '../../../functions/core/lake/digest.ts';
import { coverageKey, digestKey, digestPrefix } from '../../../functions/core/lake/layout.ts';
import { verifyIntegrity } from '../../../functions/core/lake/verify-integrity.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { sealedDigest } from '../../support/sealed-digest.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');

/** Stores a table object and returns its digest entry, as a run that wrote it would list it. */
function written(store: MemoryObjectStore, hour: number): DigestEntry {
  const key = coverageKey('acme', day0 + hour * HOUR_MS);
  const body = new TextEncoder().encode(`{"hour":${hour}}\n`);
  store.putNow(key, body);
  return {
    key,
    sha256: sha256Hex(body),
    bytes: body.byteLength,
    records: null,
    how: 'write',
    replaced: null,
  };
}

const append = (runId: string, objects: DigestEntry[]) => sealedDigest(runId, objects, day0);

// Two runs both believe the chain ends at digest 0 and both try to create digest 1. S3 lets one
// create win and answers the other 412: the loser must re-read the head and append after the
// winner, linked to it, so the chain stays linear and each run's objects are listed exactly once.
describe('a digest append that loses the race for its number', () => {
  it('re-reads the head and appends once, after and linked to the winner', async () => {
    const store = new MemoryObjectStore();
    await appendDigest(store, append('run-0', [written(store, 0)]));
    const staleHead = await readDigestHead(store, 'acme');
    const ours = written(store, 1);
    const theirs = written(store, 2);

    // The rival's append lands between our decision and our create-only put of digest 1.
    let raced = false;
    store.beforePut = async (key) => {
      if (raced || !key.startsWith(digestPrefix('acme'))) return;
      raced = true;
      await appendDigest(store, append('run-rival', [theirs]));
    };
    const head = await appendDigest(store, { ...append('run-ours', [ours]), head: staleHead });

    const keys = await listDigestKeys(store, 'acme');
    expect(keys).toEqual([0, 1, 2].map((n) => digestKey('acme', n)));
    const bodies = keys.map((key) => store.objects.get(key)?.body as Uint8Array);
    const digests = keys.map((key, i) => decodeDigest(key, bodies[i] as Uint8Array));
    expect(digests.map((d) => d.run_id)).toEqual(['run-0', 'run-rival', 'run-ours']);
    expect(digests[2]).toMatchObject({
      sequence: 2,
      genesis: false,
      previous: { key: keys[1], sha256: sha256Hex(bodies[1] as Uint8Array) },
    });
    expect(head).toEqual({
      sequence: 2,
      link: { key: keys[2], sha256: sha256Hex(bodies[2] as Uint8Array) },
      // No run of these digests planned from a checkpoint.
      checkpointSeen: false,
    });
    // Genesis; our put of digest 1, refused; the rival's; ours again, at 2: no third attempt.
    expect(store.puts.map((put) => put.key)).toEqual([keys[0], keys[1], keys[1], keys[2]]);
    const listed = digests.flatMap((d) => d.objects.map((o) => o.key));
    expect(listed.sort()).toEqual([0, 1, 2].map((hour) => coverageKey('acme', day0 + hour * HOUR_MS)).sort());
    expect(await verifyIntegrity(store, 'acme')).toMatchObject({ ok: true, problems: [] });
  });
});
