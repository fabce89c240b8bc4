import { describe, expect, it } from 'vitest';
import { activityKey } from '../../../functions/core/lake/layout.ts';
import { verifyIntegrity } from '../../../functions/core/lake/verify-integrity.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { SIX_HOUR_LAKE_START, sixHourLake } from '../../support/six-hour-lake.ts';

const day0 = SIX_HOUR_LAKE_START;

describe('verify --integrity, of bytes a digest lists for another key', () => {
  it('names the key two swapped hours were recorded for', async () => {
    const store = await sixHourLake();
    const [a, b] = [activityKey('acme', day0 + HOUR_MS), activityKey('acme', day0 + 2 * HOUR_MS)];
    const [bytesA, bytesB] = [
      store.objects.get(a)?.body as Uint8Array,
      store.objects.get(b)?.body as Uint8Array,
    ];
    store.putNow(a, bytesB);
    store.putNow(b, bytesA);
    const report = await verifyIntegrity(store, 'acme');
    expect(report.problems.map((p) => `${p.kind} ${p.key}`).sort()).toEqual([`changed ${a}`, `changed ${b}`]);
    const detailOf = (key: string) => report.problems.find((p) => p.key === key)?.detail;
    expect(detailOf(a)).toMatch(
      new RegExp(
        `^its bytes \\(sha256 [0-9a-f]{12}…\\) are those a digest lists for ${b}, not for this key: copied or swapped outside the ingest; the chain last recorded sha256 [0-9a-f]{12}… for it `,
      ),
    );
    expect(detailOf(b)).toContain(`are those a digest lists for ${a}, not for this key`);
  });

  it('names the key an object copied to a new key was recorded for', async () => {
    const store = await sixHourLake();
    const source = activityKey('acme', day0 + HOUR_MS);
    const copy = activityKey('acme', day0 - 5 * HOUR_MS);
    store.putNow(copy, store.objects.get(source)?.body as Uint8Array);
    const report = await verifyIntegrity(store, 'acme');
    expect(report.problems.map((p) => `${p.kind} ${p.key}: ${p.detail}`)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^unlisted ${copy}: no digest lists this object; its bytes .* are those a digest lists for ${source}, not for this key`,
        ),
      ),
    ]);
  });
});
