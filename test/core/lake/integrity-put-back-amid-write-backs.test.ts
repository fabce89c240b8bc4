import { describe, expect, it } from 'vitest';
import { appendDigest, type DigestEntry } from '../../../functions/core/lake/digest.ts';
import { activityKey } from '../../../functions/core/lake/layout.ts';
import { verifyIntegrity } from '../../../functions/core/lake/verify-integrity.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { runDigest, textVersionEntry } from '../../support/sealed-digest.ts';

const day0 = Date.UTC(2026, 9, 1);
const key = activityKey('acme', day0);

/** A write of version `v` over `over`, versions being short texts. */
const write = (v: string, over: string): DigestEntry => textVersionEntry(key, v, 'write', over);

/**
 * A genesis that created version `a` of one hour's object, then the runs in `opened` open with an
 * empty digest and each run lists its writes in a sealing one, in the order given; the object
 * then holds `holding`.
 */
async function findings(opened: string[], seals: [string, DigestEntry[]][], holding: string) {
  const store = new MemoryObjectStore();
  const digest = (runId: string, sealed: boolean, objects: DigestEntry[]) =>
    appendDigest(store, runDigest(runId, objects, day0, sealed));
  await digest('genesis', true, [{ ...textVersionEntry(key, 'a', 'write'), replaced: null }]);
  for (const run of opened) await digest(run, false, []);
  for (const [run, objects] of seals) await digest(run, true, objects);
  store.putNow(key, new TextEncoder().encode(holding));
  return (await verifyIntegrity(store, 'acme')).problems.map((p) => `${p.kind} ${p.key}`);
}

/**
 * Versions that recur (enrich with other rules, then with the first ones) make the writes of a key
 * look balanced where they are not: a way of judging them that counts writes rather than follows
 * the chain's order was tried and hid these put-backs (review R-WALK, 2026-12-04).
 */
describe('verify --integrity, of a put-back amid writes back and forth', () => {
  it('reports it after two overlapping runs listed one write and a later run wrote back', async () => {
    // r1 and r2 made the same b from a (one took the other's put as its own); r3 wrote a back.
    const seals: [string, DigestEntry[]][] = [
      ['r1', [write('b', 'a')]],
      ['r2', [write('b', 'a')]],
      ['r3', [write('a', 'b')]],
    ];
    expect(await findings(['r1', 'r2'], seals, 'a')).toEqual([]);
    expect(await findings(['r1', 'r2'], seals, 'b')).toEqual([`rolled-back ${key}`]);
  });

  it('reports it when planted bytes, written over by a recorded run, balance the writes', async () => {
    // b planted outside the ingest while a was current; r1 wrote a over it, r2 b over a; a put back.
    const seals: [string, DigestEntry[]][] = [
      ['r1', [write('a', 'b')]],
      ['r2', [write('b', 'a')]],
    ];
    expect(await findings([], seals, 'a')).toEqual([`rolled-back ${key}`]);
  });
});
