import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../functions/core/lake/digest.ts';
import { activityKey } from '../../../functions/core/lake/layout.ts';
import { verifyIntegrity } from '../../../functions/core/lake/verify-integrity.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { appendSealed, textVersionEntry } from '../../support/sealed-digest.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');
const key = activityKey('acme', day0);
const sha = (v: string) => sha256Hex(new TextEncoder().encode(v));

/**
 * `s` written by the ingest, then `f` forged in its place and read by a run that had nothing to
 * add (so it wrote nothing): the chain lists `f` only as read. The key then holds `holding`.
 */
async function forgedAndRead(holding: string) {
  const store = new MemoryObjectStore();
  await appendSealed(
    store,
    [
      ['genesis', [textVersionEntry(key, 'r', 'adopt')]],
      ['run-a', [textVersionEntry(key, 's', 'write', 'r')]],
      ['run-b', [textVersionEntry(key, 'f', 'read')]],
    ],
    day0,
  );
  store.putNow(key, new TextEncoder().encode(holding));
  return store;
}

describe('verify --integrity, of forged bytes a run read and that are put back after a repair', () => {
  it('reports the object holding them once their `changed` finding is accepted, not before', async () => {
    const incident = await verifyIntegrity(await forgedAndRead('f'), 'acme');
    expect(incident.problems.map((p) => `${p.kind} ${p.sha256 === sha('f')}`)).toEqual(['changed true']);
    // The incident's own report accepted, the object still holding the bytes: not accepted with it.
    const report = await verifyIntegrity(await forgedAndRead('f'), 'acme', { accepted: incident.problems });
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => `${p.kind} ${p.sha256 === sha('f')}`)).toEqual(['holds-changed true']);
    expect(report.accepted.map((p) => p.kind)).toEqual(['changed']);
  });

  it('fails again when they come back, the report after the repair accepted', async () => {
    const repaired = await verifyIntegrity(await forgedAndRead('s'), 'acme');
    expect(repaired.problems.map((p) => p.kind)).toEqual(['changed']);
    const accepted = repaired.problems;
    expect(await verifyIntegrity(await forgedAndRead('s'), 'acme', { accepted })).toMatchObject({ ok: true });

    const back = await verifyIntegrity(await forgedAndRead('f'), 'acme', { accepted });
    expect(back.ok).toBe(false);
    expect(back.problems).toEqual([
      expect.objectContaining({
        kind: 'holds-changed',
        key,
        sha256: sha('f'),
        detail: expect.stringMatching(
          /^holds now the bytes .* that its `changed` finding says were made outside/,
        ),
      }),
    ]);
  });
});

describe('verify --integrity, of many forged hours still holding their bytes', () => {
  it('lists every other finding: the objects holding them take no place under the cap', async () => {
    const store = new MemoryObjectStore();
    const hours = Array.from({ length: 600 }, (_, i) => activityKey('acme', day0 + i * 3_600_000));
    await appendSealed(
      store,
      [
        ['genesis', hours.map((k) => textVersionEntry(k, 'r', 'adopt'))],
        ['run-b', hours.map((k) => textVersionEntry(k, 'f', 'read'))],
      ],
      day0,
    );
    for (const k of hours) store.putNow(k, new TextEncoder().encode('f'));
    const stray = activityKey('acme', day0 + 700 * 3_600_000);
    store.putNow(stray, new TextEncoder().encode('x'));
    const report = await verifyIntegrity(store, 'acme');
    expect(report.problems.filter((p) => p.kind === 'changed')).toHaveLength(600);
    expect(report.problems.filter((p) => p.kind === 'unlisted').map((p) => p.key)).toEqual([stray]);
  });
});
