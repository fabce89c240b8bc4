import { describe, expect, it } from 'vitest';
import { compileCategoryRules, DEFAULT_CATEGORY_RULES } from '../../../functions/core/domo/category-rules.ts';
import { enrichLake } from '../../../functions/core/geo/enrich-lake.ts';
import { appendDigest, sha256Hex } from '../../../functions/core/lake/digest.ts';
import { activityKey } from '../../../functions/core/lake/layout.ts';
import { verifyIntegrity } from '../../../functions/core/lake/verify-integrity.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { runDigest } from '../../support/sealed-digest.ts';
import { recategoriseAllAsLogins, SIX_HOUR_LAKE_START, sixHourLake } from '../../support/six-hour-lake.ts';

const day0 = SIX_HOUR_LAKE_START;

const noGeo = { version: 'geo@1', lookup: () => undefined };
const range = { instance: 'acme', fromMs: day0, toMs: day0 + 6 * HOUR_MS };

describe('verify --integrity, of a version a later recorded write wrote again', () => {
  it('takes it as current: enrich with other rules, then with the built-in ones, is not a roll-back', async () => {
    const store = await sixHourLake();
    const hour1 = activityKey('acme', day0 + HOUR_MS);
    const original = sha256Hex(store.objects.get(hour1)?.body as Uint8Array);

    const first = await recategoriseAllAsLogins(store);
    expect(first.hoursRewritten).toBeGreaterThan(0);
    expect(sha256Hex(store.objects.get(hour1)?.body as Uint8Array)).not.toBe(original);

    const back = compileCategoryRules(DEFAULT_CATEGORY_RULES);
    const second = await enrichLake(
      { store, geo: noGeo },
      { ...range, categorize: back, nowIso: '2026-10-01T08:00:00.000Z' },
    );
    expect(second.hoursRewritten).toBe(first.hoursRewritten);
    // The built-in rules give back the very bytes the ingest wrote.
    expect(sha256Hex(store.objects.get(hour1)?.body as Uint8Array)).toBe(original);

    expect(await verifyIntegrity(store, 'acme')).toMatchObject({ ok: true, problems: [] });
  });

  it('still reports a roll-back to a version written again and then replaced again', async () => {
    const store = await sixHourLake();
    const hour1 = activityKey('acme', day0 + HOUR_MS);
    const original = store.objects.get(hour1)?.body as Uint8Array;
    const enrich = (rules: Parameters<typeof compileCategoryRules>[0], nowIso: string) =>
      enrichLake({ store, geo: noGeo }, { ...range, categorize: compileCategoryRules(rules), nowIso });
    await enrich([{ category: 'login', actionType: '.' }], '2026-10-01T07:00:00.000Z');
    await enrich(DEFAULT_CATEGORY_RULES, '2026-10-01T08:00:00.000Z');
    await enrich([{ category: 'lockout', actionType: '.' }], '2026-10-01T09:00:00.000Z');
    expect(sha256Hex(store.objects.get(hour1)?.body as Uint8Array)).not.toBe(sha256Hex(original));

    // Put back outside the ingest: the version the last recorded write replaced.
    store.putNow(hour1, original);
    const report = await verifyIntegrity(store, 'acme');
    expect(report.problems.map((p) => `${p.kind} ${p.key}`)).toEqual([`rolled-back ${hour1}`]);
  });
});

describe('verify --integrity, of overlapping runs whose writes the chain lists out of order', () => {
  /**
   * Run A writes S over R; run B reads S and writes T over it, and B's digests land before A's
   * next one. In chain order, A's write of S comes after B's replacing it: it does not make S
   * current again, since the version it replaced (R) was listed before S was replaced.
   */
  async function outOfOrder(holding: 'S' | 'T') {
    const store = new MemoryObjectStore();
    const key = activityKey('acme', day0);
    const bodies = { R: 'r', S: 's', T: 't' } as const;
    const entry = (v: keyof typeof bodies, how: 'adopt' | 'write', replaced?: keyof typeof bodies) => ({
      key,
      sha256: sha256Hex(new TextEncoder().encode(bodies[v])),
      bytes: 1,
      records: 1,
      how,
      ...(replaced ? { replaced: sha256Hex(new TextEncoder().encode(bodies[replaced])) } : {}),
    });
    const digest = (runId: string, sealed: boolean, objects: ReturnType<typeof entry>[]) =>
      appendDigest(store, runDigest(runId, objects, day0, sealed));
    await digest('genesis', true, [entry('R', 'adopt')]);
    await digest('run-a', false, []);
    await digest('run-b', false, []);
    await digest('run-b', true, [entry('T', 'write', 'S')]);
    await digest('run-a', true, [entry('S', 'write', 'R')]);
    store.putNow(key, new TextEncoder().encode(bodies[holding]));
    return { report: await verifyIntegrity(store, 'acme'), key };
  }

  it('takes the last write in time as current', async () => {
    expect(await outOfOrder('T')).toMatchObject({ report: { ok: true, problems: [] } });
  });

  it('reports a roll-back to the version the later write replaced', async () => {
    const { report, key } = await outOfOrder('S');
    expect(report.problems.map((p) => `${p.kind} ${p.key}`)).toEqual([`rolled-back ${key}`]);
  });
});
