import { expect, it } from 'vitest';
import { appendDigest } from '../../../functions/core/lake/digest.ts';
import { activityKey } from '../../../functions/core/lake/layout.ts';
import { verifyIntegrity } from '../../../functions/core/lake/verify-integrity.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');
const hour = (h: number) => day0 + h * HOUR_MS;

// A range run over 01:00-03:00 whose last digest is not sealed (it died, or still runs) can have
// written only those hours: the hint that it may have written an object is for them alone.
it('says the unsealed head may have written an object only of an hour its run pulled', async () => {
  const lake = new MemoryObjectStore();
  const digest = { instance: 'acme', createdAt: new Date(day0).toISOString(), objects: [] };
  await appendDigest(lake, {
    ...digest,
    runId: 'scheduled',
    sealed: true,
    fromMs: hour(0),
    adopt: async () => ({ entries: [] }),
  });
  await appendDigest(lake, { ...digest, runId: 'range', sealed: false, fromMs: hour(1), toMs: hour(3) });
  for (const h of [0, 2, 3]) lake.putNow(activityKey('acme', hour(h)), new Uint8Array([h]));

  const report = await verifyIntegrity(lake, 'acme');

  expect(report.unsealedHead).toMatchObject({ runId: 'range', fromMs: hour(1), toMs: hour(3) });
  const detail = (h: number) =>
    report.problems.find((problem) => problem.key === activityKey('acme', hour(h)))?.detail;
  expect(detail(2)).toMatch(/run range\) is not sealed, so that run may have written it/);
  expect(detail(0)).toBe('no digest lists this object');
  expect(detail(3)).toBe('no digest lists this object');
});
