import { describe, expect, it } from 'vitest';
import { appendDigest, type DigestEntry } from '../../../functions/core/lake/digest.ts';
import { activityKey, digestKey } from '../../../functions/core/lake/layout.ts';
import { verifyIntegrity } from '../../../functions/core/lake/verify-integrity.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { textVersionEntry } from '../../support/sealed-digest.ts';

const day0 = Date.UTC(2026, 9, 1);
const key = activityKey('acme', day0);

/** A write of version `v` over `over` (null: a create), versions being short texts. */
const write = (v: string, over: string | null): DigestEntry =>
  over === null
    ? { ...textVersionEntry(key, v, 'write'), replaced: null }
    : textVersionEntry(key, v, 'write', over);

/**
 * A chain of instance `acme` for one hour's object: a genesis run creates version `a`, then each
 * run opens with an empty digest and lists its writes in a sealing one, in the order given.
 * `opened` runs open before any of them seals (they overlap); the object holds `holding`.
 */
async function chain(opened: string[], seals: [string, DigestEntry[]][], holding: string) {
  const store = new MemoryObjectStore();
  const digest = (runId: string, sealed: boolean, objects: DigestEntry[]) =>
    appendDigest(store, {
      instance: 'acme',
      runId,
      createdAt: '2026-10-01T07:00:00.000Z',
      objects,
      sealed,
      fromMs: day0,
    });
  await digest('genesis', true, [write('a', null)]);
  for (const run of opened) await digest(run, false, []);
  for (const [run, objects] of seals) await digest(run, true, objects);
  store.putNow(key, new TextEncoder().encode(holding));
  const report = await verifyIntegrity(store, 'acme');
  return { report, findings: report.problems.map((p) => `${p.kind} ${p.key}`) };
}

describe('verify --integrity, of overlapping runs that write bytes back, listed out of time order', () => {
  it("passes the version the writes end at: r2 wrote a back over r1's b, and listed it first", async () => {
    const { report } = await chain(
      ['r1', 'r2'],
      [
        ['r2', [write('a', 'b')]],
        ['r1', [write('b', 'a')]],
      ],
      'a',
    );
    expect(report).toMatchObject({ ok: true, problems: [] });
  });

  it('passes the version of the last write in time when the write back is listed last', async () => {
    // In time: r1 writes b over a, r2 a over b, r3 b over a again.
    const { report } = await chain(
      ['r1', 'r2', 'r3'],
      [
        ['r1', [write('b', 'a')]],
        ['r3', [write('b', 'a')]],
        ['r2', [write('a', 'b')]],
      ],
      'b',
    );
    expect(report).toMatchObject({ ok: true, problems: [] });
  });
});

describe('verify --integrity, of versions written back in turn', () => {
  // In time and in chain order: b over a, a over b, b over a.
  const seals: [string, DigestEntry[]][] = [
    ['r1', [write('b', 'a')]],
    ['r2', [write('a', 'b')]],
    ['r3', [write('b', 'a')]],
  ];

  it('passes the version the last write made', async () => {
    expect((await chain([], seals, 'b')).report).toMatchObject({ ok: true, problems: [] });
  });

  it('reports the version before it put back, naming the digest of the write that replaced it', async () => {
    const { report, findings } = await chain([], seals, 'a');
    expect(findings).toEqual([`rolled-back ${key}`]);
    // r3's digest, after the genesis and r1's and r2's.
    expect(report.problems[0]?.detail).toContain(`recorded in ${digestKey('acme', 3)}`);
  });
});

describe('verify --integrity, of a write listed twice', () => {
  it('passes the current version when the double listing moves where the writes seem to end', async () => {
    // Seen with four concurrent enrich runs: r1 wrote b over a; r2 and r3 both made a from b, and
    // r3 took r2's put as its own (both list it); then r4 wrote b over a. Counted as listed, the
    // writes end at a, which the object no longer holds.
    const { report } = await chain(
      ['r1', 'r2', 'r3', 'r4'],
      [
        ['r1', [write('b', 'a')]],
        ['r2', [write('a', 'b')]],
        ['r3', [write('a', 'b')]],
        ['r4', [write('b', 'a')]],
      ],
      'b',
    );
    expect(report).toMatchObject({ ok: true, problems: [] });
  });

  it('still finds a put-back of a version a later write replaced', async () => {
    // r1 and r2 made the same b from a, then r3 wrote c over b; b put back outside the ingest.
    const { findings } = await chain(
      ['r1', 'r2'],
      [
        ['r1', [write('b', 'a')]],
        ['r2', [write('b', 'a')]],
        ['r3', [write('c', 'b')]],
      ],
      'b',
    );
    expect(findings).toEqual([`rolled-back ${key}`]);
  });
});
