import { describe, expect, it } from 'vitest';
import {
  appendDigest,
  decodeDigest,
  listDigestKeys,
  sha256Hex,
} from '../../../functions/core/lake/digest.ts';
import { hoursStoredOnce } from '../../../functions/core/lake/skipped-hours-stored.ts';
import { verifyIntegrity } from '../../../functions/core/lake/verify-integrity.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { countedGets } from '../../support/counting-store.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';

const FIRST_MS = Date.parse('2026-10-01T00:20:00Z');
const DIGESTS = 64;

/** A chain of {@link DIGESTS} digests an hour apart, its head's `created_at` replaced by `createdAt`. */
async function chainWithHeadWritten(createdAt: string) {
  const store = new MemoryObjectStore();
  for (let n = 0; n < DIGESTS; n++) {
    const at = new Date(FIRST_MS + n * HOUR_MS).toISOString();
    await appendDigest(store, {
      instance: 'acme',
      runId: `run-${n}`,
      createdAt: at,
      objects: [],
      sealed: true,
      fromMs: null,
    });
  }
  const head = (await listDigestKeys(store, 'acme')).at(-1) as string;
  const digest = decodeDigest(head, store.objects.get(head)?.body as Uint8Array);
  const edited = new TextEncoder().encode(`${JSON.stringify({ ...digest, created_at: createdAt })}\n`);
  store.putNow(head, edited);
  return { store, head, sha256: sha256Hex(edited) };
}

const counted = countedGets;

// Review STATUS9: a `created_at` that does not parse made the time a batch of the chain was
// written NaN, so the search for hours stored once never stopped on time and read to digest 0.
// Every run writes an ISO time: one that is not is an edit or a bug, a malformed digest as one
// whose hash is not hex, and read as such.
describe('a digest whose created_at is not a time', () => {
  it('is a bad digest to verify', async () => {
    const { store, head, sha256 } = await chainWithHeadWritten('yesterday');
    const report = await verifyIntegrity(store, 'acme');
    expect(report.ok).toBe(false);
    expect(report.problems).toContainEqual({
      kind: 'bad-digest',
      key: head,
      detail: expect.stringContaining('created_at is not a date and time'),
      sha256,
    });
  });

  it('is passed over by the search for hours stored once, which still stops on time', async () => {
    const { store } = await chainWithHeadWritten('yesterday');
    const lake = counted(store);
    // An hour after the chain's last digest: none lists it, and the first batch was written before it.
    const hourMs = FIRST_MS + DIGESTS * HOUR_MS;
    const { stored, cut } = await hoursStoredOnce(lake, 'acme', [hourMs]);
    expect(stored.size).toBe(0);
    expect(cut).toBeUndefined();
    // One batch of 16 and the head's search, not the 64 digests of the chain.
    expect(lake.gets).toBeLessThan(DIGESTS / 2);
  });

  it('is no finding when it is a time, of whatever format Date.parse reads', async () => {
    const { store } = await chainWithHeadWritten('2026-10-03 15:20Z');
    expect(await verifyIntegrity(store, 'acme')).toMatchObject({ ok: true, problems: [] });
  });
});
