/**
 * An `unvouched` coverage manifest whose events are vouched for (review R-EVIDENCE2, F-PROVENANCE):
 * `verify --integrity` says so on the finding, which stays a finding, and says nothing of the kind
 * for a manifest that disagrees with its events, of an hour without events, or whose events object
 * has a finding itself.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { activityKey, coverageKey } from '../../../functions/core/lake/layout.ts';
import { verifyWithIntegrity } from '../../../functions/core/lake/verify-with-integrity.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { viewEntry } from '../../support/memory-audit-source.ts';
import type { MemoryObjectStore } from '../../support/memory-store.ts';
import { lakeWithUnvouchedManifest } from '../../support/unvouched-manifest-lake.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');
const hour = (h: number) => day0 + h * HOUR_MS;

const unvouchedOf = async (lake: MemoryObjectStore, key: string) => {
  const report = await verifyWithIntegrity(lake, 'acme', undefined);
  return { report, finding: report.integrity?.problems.find((p) => p.kind === 'unvouched' && p.key === key) };
};

describe('an unvouched coverage manifest', () => {
  it('whose events are vouched for is marked so, and stays a finding', async () => {
    const lake = await lakeWithUnvouchedManifest(hour(3));
    const { report, finding } = await unvouchedOf(lake, coverageKey('acme', hour(3)));
    expect(finding).toMatchObject({
      agreesWithVouchedEvents: true,
      detail: expect.stringMatching(
        /\. Its event count and content hash are those of the hour's events object, whose bytes a digest vouches for .*figures of the pulls \(fetch_count, late_events/,
      ),
    });
    // A finding all the same: the figures are no digest's.
    expect(report.integrity?.ok).toBe(false);
    expect(report.integrity?.problems.filter((p) => p.kind !== 'unvouched')).toEqual([]);
  });

  it('of an hour with no events object is not: a manifest of 0 events agrees with nothing', async () => {
    const lake = await lakeWithUnvouchedManifest(hour(2));
    const { finding } = await unvouchedOf(lake, coverageKey('acme', hour(2)));
    expect(finding).toBeDefined();
    expect(finding?.agreesWithVouchedEvents).toBeUndefined();
  });

  it('that does not count what its events object holds is not', async () => {
    const key = coverageKey('acme', hour(3));
    const lake = await lakeWithUnvouchedManifest(hour(3), async (store) => {
      const manifest = JSON.parse(new TextDecoder().decode(store.objects.get(key)?.body));
      await store.put(key, new TextEncoder().encode(JSON.stringify({ ...manifest, event_count: 99 })));
    });
    const { report, finding } = await unvouchedOf(lake, key);
    expect(report.manifestMismatches.map((m) => m.windowStartMs)).toContain(hour(3));
    expect(finding).toBeDefined();
    expect(finding?.agreesWithVouchedEvents).toBeUndefined();
  });

  it('whose events object has a finding of its own is not', async () => {
    const events = activityKey('acme', hour(3));
    const lake = await lakeWithUnvouchedManifest(hour(3), async (store) => {
      // The same events in other bytes (gzip at another level): the manifest still agrees with
      // them, but no digest vouches for these bytes.
      const body = store.objects.get(events)?.body as Uint8Array;
      await store.put(events, gzipSync(gunzipSync(body), { level: 1 }));
    });
    const { report, finding } = await unvouchedOf(lake, coverageKey('acme', hour(3)));
    expect(report.integrity?.problems.some((p) => p.key === events)).toBe(true);
    expect(finding).toBeDefined();
    expect(finding?.agreesWithVouchedEvents).toBeUndefined();
  });
});

/** The manifest at `key` with `fields` set, as a forger writes it before the sweep. */
const edited =
  (key: string, fields: Record<string, unknown>) =>
  async (store: MemoryObjectStore): Promise<void> => {
    const manifest = JSON.parse(new TextDecoder().decode(store.objects.get(key)?.body));
    await store.put(key, new TextEncoder().encode(JSON.stringify({ ...manifest, ...fields })));
  };

describe('an unvouched coverage manifest whose events agree (review R-EVIDENCE3 M1)', () => {
  const key = coverageKey('acme', hour(3));
  it.each([
    [
      'window_start moved to another hour',
      { window_start: '2026-10-08 03:00:00.000' },
      'window_start "2026-10-08',
    ],
    ['window_end_ms two hours on', { window_end_ms: hour(5) }, `window_end_ms ${hour(5)}`],
  ])('with its %s is not marked, and is a manifest mismatch', async (_, fields, detail) => {
    const lake = await lakeWithUnvouchedManifest(hour(3), edited(key, fields));
    const { report, finding } = await unvouchedOf(lake, key);
    expect(report.manifestMismatches).toContainEqual({
      windowStartMs: hour(3),
      detail: expect.stringContaining(detail),
    });
    expect(report.ok).toBe(false);
    expect(finding).toBeDefined();
    expect(finding?.agreesWithVouchedEvents).toBeUndefined();
  });

  // Two entries Domo serves with a time that is none: quarantined in hour 3.
  const unreadable = [1, 2].map((n) => {
    const entry = viewEntry(hour(3) + n * 60_000, 900 + n);
    return { ...entry, entry: { ...(entry.entry as Record<string, unknown>), time: `not a time ${n}` } };
  });

  it('counting all its quarantined entries is marked', async () => {
    const lake = await lakeWithUnvouchedManifest(hour(3), undefined, unreadable);
    const { report, finding } = await unvouchedOf(lake, key);
    expect(report.quarantined).toBe(2);
    expect(finding?.agreesWithVouchedEvents).toBe(true);
    expect(finding?.detail).toContain('quarantined_count');
  });

  it('counting fewer quarantined entries than the object holds is not', async () => {
    const lake = await lakeWithUnvouchedManifest(hour(3), edited(key, { quarantined_count: 1 }), unreadable);
    const { report, finding } = await unvouchedOf(lake, key);
    expect(report.quarantined).toBe(2);
    expect(finding).toBeDefined();
    expect(finding?.agreesWithVouchedEvents).toBeUndefined();
  });
});
