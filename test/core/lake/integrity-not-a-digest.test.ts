import { describe, expect, it } from 'vitest';
import { digestKey, digestPrefix } from '../../../functions/core/lake/layout.ts';
import { verifyIntegrity } from '../../../functions/core/lake/verify-integrity.ts';
import { hourlyRunsLake } from '../../support/hourly-runs-lake.ts';

// Review F-EVID7 L6: a copy of a digest kept beside it, or one wrongly numbered, passed without
// comment, while the table folders are checked for foreign files.
describe('verify --integrity on files in the digest folder that are no digest', () => {
  it('names each as a finding that no list accepts, and still walks the chain', async () => {
    const store = await hourlyRunsLake(3);
    const clean = await verifyIntegrity(store, 'acme');
    expect(clean.ok).toBe(true);
    const head = store.objects.get(digestKey('acme', clean.digests - 1))?.body as Uint8Array;
    const strays = [`${digestPrefix('acme')}0000000117.json.bak`, `${digestPrefix('acme')}17.json`];
    for (const key of strays) store.putNow(key, head);
    const report = await verifyIntegrity(store, 'acme');
    expect(report.problems.map((p) => `${p.kind} ${p.key}`)).toEqual(
      strays.map((k) => `not-a-digest ${k}`).sort(),
    );
    expect(report.digests).toBe(clean.digests);
    expect(report.ok).toBe(false);
    const accepted = strays.map((key) => ({ kind: 'not-a-digest' as const, key }));
    expect((await verifyIntegrity(store, 'acme', { accepted })).ok).toBe(false);
  });
});
