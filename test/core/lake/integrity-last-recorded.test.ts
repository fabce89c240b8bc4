import { describe, expect, it } from 'vitest';
import { decodeDigest, listDigestKeys, sha256Hex } from '../../../functions/core/lake/digest.ts';
import { activityKey } from '../../../functions/core/lake/layout.ts';
import { verifyIntegrity } from '../../../functions/core/lake/verify-integrity.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import type { MemoryObjectStore } from '../../support/memory-store.ts';
import {
  forgeFirstRecord,
  recategoriseAllAsLogins,
  SIX_HOUR_LAKE_START,
  sixHourLake,
} from '../../support/six-hour-lake.ts';

const hour1 = activityKey('acme', SIX_HOUR_LAKE_START + HOUR_MS);

/** The last digest listing `key`, its run, and the version it lists: what the finding must name. */
async function lastListing(store: MemoryObjectStore, key: string) {
  let found: { digest: string; runId: string; sha256: string } | undefined;
  for (const digestKey of await listDigestKeys(store, 'acme')) {
    const digest = decodeDigest(digestKey, store.objects.get(digestKey)?.body as Uint8Array);
    for (const entry of digest.objects) {
      if (entry.key === key) found = { digest: digestKey, runId: digest.run_id, sha256: entry.sha256 };
    }
  }
  return found;
}

describe('verify --integrity, of an object not as the chain last recorded it', () => {
  it('names, for a changed object, the sha256 last recorded and the digest and run that recorded it', async () => {
    const store = await sixHourLake();
    const recorded = await lastListing(store, hour1);
    forgeFirstRecord(store, hour1);
    const [problem] = (await verifyIntegrity(store, 'acme')).problems;
    expect(problem).toMatchObject({ kind: 'changed', key: hour1, recorded });
    expect(problem?.detail).toContain(
      `the chain last recorded sha256 ${recorded?.sha256.slice(0, 12)}… for it (${recorded?.digest}, run ${recorded?.runId}); see docs/operations.md, the section on the integrity findings \`changed\` and \`rolled-back\``,
    );
  });

  it('names, for a rolled-back object, the write that replaced it and what the chain recorded last', async () => {
    const store = await sixHourLake();
    const original = store.objects.get(hour1)?.body as Uint8Array;
    await recategoriseAllAsLogins(store);
    const recorded = await lastListing(store, hour1);
    expect(recorded?.sha256).not.toBe(sha256Hex(original));
    store.putNow(hour1, original);
    const [problem] = (await verifyIntegrity(store, 'acme')).problems;
    expect(problem).toMatchObject({ kind: 'rolled-back', key: hour1, sha256: sha256Hex(original), recorded });
    expect(problem?.detail).toBe(
      `holds a version (sha256 ${sha256Hex(original).slice(0, 12)}…) that a later write, recorded in ${recorded?.digest}, replaced; the chain last recorded sha256 ${recorded?.sha256.slice(0, 12)}… for it (${recorded?.digest}, run ${recorded?.runId}); see docs/operations.md, the section on the integrity findings \`changed\` and \`rolled-back\``,
    );
  });
});
