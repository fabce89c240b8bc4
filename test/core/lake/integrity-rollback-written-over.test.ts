import { describe, expect, it } from 'vitest';
import { compileCategoryRules } from '../../../functions/core/domo/category-rules.ts';
import { enrichLake } from '../../../functions/core/geo/enrich-lake.ts';
import { type DigestEntry, sha256Hex } from '../../../functions/core/lake/digest.ts';
import { activityKey, HOUR_MS } from '../../../functions/core/lake/layout.ts';
import { verifyIntegrity } from '../../../functions/core/lake/verify-integrity.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { appendSealed, textVersionEntry } from '../../support/sealed-digest.ts';
import { SIX_HOUR_LAKE_START, sixHourLake } from '../../support/six-hour-lake.ts';

const day0 = SIX_HOUR_LAKE_START;
const noGeo = { version: 'geo@1', lookup: () => undefined };
const range = { instance: 'acme', fromMs: day0, toMs: day0 + 6 * HOUR_MS };

describe('verify --integrity, of a roll-back a later recorded write wrote over', () => {
  it('still reports it: the enrich it undid stays undone though the object holds a recorded version', async () => {
    const store = await sixHourLake();
    const hour1 = activityKey('acme', day0 + HOUR_MS);
    const original = store.objects.get(hour1)?.body as Uint8Array;
    const enrich = (category: 'login' | 'lockout', nowIso: string) =>
      enrichLake(
        { store, geo: noGeo },
        { ...range, categorize: compileCategoryRules([{ category, actionType: '.' }]), nowIso },
      );
    await enrich('login', '2026-10-01T07:00:00.000Z');
    // Put back outside the ingest, then a recorded write of the hour (here an enrich; a scheduled
    // run's lookback or a re-pull alike) writes over it.
    store.putNow(hour1, original);
    expect((await verifyIntegrity(store, 'acme')).problems.map((p) => p.kind)).toEqual(['rolled-back']);
    await enrich('lockout', '2026-10-01T08:00:00.000Z');

    const report = await verifyIntegrity(store, 'acme');
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([
      expect.objectContaining({
        kind: 'rolled-back',
        key: hour1,
        sha256: sha256Hex(original),
        detail: expect.stringMatching(/^was put back to a version .* before run \S+ wrote over it/),
      }),
    ]);
  });
});

describe('verify --integrity, of writes over one version listed out of order', () => {
  const key = activityKey('acme', day0);
  const bytes = (v: string) => new TextEncoder().encode(v);
  const entry = (v: string, how: 'adopt' | 'write', replaced?: string) =>
    textVersionEntry(key, v, how, replaced);
  /** Digests in this order, each run sealed by its one digest; the key then holds `holding`. */
  async function chain(digests: [string, DigestEntry[]][], holding: string) {
    const store = new MemoryObjectStore();
    await appendSealed(store, digests, day0);
    store.putNow(key, bytes(holding));
    return verifyIntegrity(store, 'acme');
  }

  it('reports two recorded writes over one version with no rewrite of it between', async () => {
    const report = await chain(
      [
        ['genesis', [entry('r', 'adopt')]],
        ['run-a', [entry('s', 'write', 'r')]],
        ['run-c', [entry('t', 'write', 'r')]],
      ],
      't',
    );
    expect(report.problems.map((p) => `${p.kind} ${p.sha256}`)).toEqual([
      `rolled-back ${sha256Hex(bytes('r'))}`,
    ]);
  });

  it('takes a rewrite of that version listed after the second write as the ingest writing it back', async () => {
    // a writes s over r, b writes r back over s (an enrich undone), c writes t over r; b's digest
    // lands last.
    const report = await chain(
      [
        ['genesis', [entry('r', 'adopt')]],
        ['run-a', [entry('s', 'write', 'r')]],
        ['run-c', [entry('t', 'write', 'r')]],
        ['run-b', [entry('r', 'write', 's')]],
      ],
      't',
    );
    expect(report).toMatchObject({ ok: true, problems: [] });
  });
});
