import { describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import {
  DIGEST_FORMAT,
  type Digest,
  decodeDigest,
  encodeDigest,
  listDigestKeys,
  sha256Hex,
} from '../../../functions/core/lake/digest.ts';
import {
  activityKey,
  digestKey,
  digestPrefix,
  digestSequenceFromKey,
} from '../../../functions/core/lake/layout.ts';
import { verifyIntegrity } from '../../../functions/core/lake/verify-integrity.ts';
import type { ObjectStore } from '../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');
const hour = (h: number) => day0 + h * HOUR_MS;
const now = hour(6) + 30 * 60_000;
const config = { ...defaultIngestConfig('acme'), backfillDays: 1 };

/**
 * The lake, with the number of every digest the walk back asked for noted: those read once the
 * head is found (its search probes digests by GET from the first, then lists past the end).
 */
function noteDigestGets(lake: MemoryObjectStore, asked: number[]): ObjectStore {
  let headFound = false;
  return {
    location: lake.location,
    list: (prefix, options) => {
      if (prefix === digestPrefix('acme')) headFound = true;
      return lake.list(prefix, options);
    },
    put: (key, body, options) => lake.put(key, body, options),
    get: (key) => {
      if (headFound && key.startsWith(digestPrefix('acme'))) asked.push(digestSequenceFromKey(key) ?? -1);
      return lake.get(key);
    },
  };
}

async function headDigest(lake: MemoryObjectStore): Promise<Digest> {
  const key = (await listDigestKeys(lake, 'acme')).at(-1) as string;
  return decodeDigest(key, lake.objects.get(key)?.body as Uint8Array);
}

describe('the opening walk back over the digest chain', () => {
  it('writes in every digest where its run began: after the head it opened on, its first digest when alone', async () => {
    const domo = new MemoryAuditSource(
      Array.from({ length: 36 }, (_, i) => viewEntry(day0 + i * 10 * 60_000, i)),
    );
    const lake = new MemoryObjectStore();
    await runIngest(quietIngestDeps(domo, lake, now), config, { runId: 'first' });
    domo.add(viewEntry(hour(5) + 1, 99));
    await runIngest(quietIngestDeps(domo, lake, now + HOUR_MS), config, { runId: 'second' });

    const digests = await Promise.all(
      (await listDigestKeys(lake, 'acme')).map(async (key) =>
        decodeDigest(key, lake.objects.get(key)?.body as Uint8Array),
      ),
    );
    const firstOf = (run: string) => digests.find((digest) => digest.run_id === run)?.sequence;
    for (const digest of digests) expect(digest.began).toBe(firstOf(digest.run_id));
    expect(new Set(digests.map((digest) => digest.run_id))).toEqual(new Set(['first', 'second']));
  });

  it('reads no digest before the first one of the last run, when runs ran one after the other', async () => {
    const domo = new MemoryAuditSource(
      Array.from({ length: 36 }, (_, i) => viewEntry(day0 + i * 10 * 60_000, i)),
    );
    const lake = new MemoryObjectStore();
    for (const later of [0, 1, 2, 3]) {
      domo.add(viewEntry(now + later * HOUR_MS - 2 * HOUR_MS, 100 + later));
      await runIngest(quietIngestDeps(domo, lake, now + later * HOUR_MS), config, { runId: `run-${later}` });
    }
    const head = await headDigest(lake);
    expect(head.sealed).toBe(true);
    expect(head.sequence).toBeGreaterThan(4);

    const asked: number[] = [];
    domo.add(viewEntry(now + 2 * HOUR_MS, 200));
    await runIngest(quietIngestDeps(domo, noteDigestGets(lake, asked), now + 4 * HOUR_MS), config);
    expect(Math.min(...asked)).toBe(head.began);
    expect((await verifyIntegrity(lake, 'acme')).problems).toEqual([]);
  });

  it('still reads a chain written before digests said where their run began', async () => {
    const domo = new MemoryAuditSource(
      Array.from({ length: 36 }, (_, i) => viewEntry(day0 + i * 10 * 60_000, i)),
    );
    const lake = new MemoryObjectStore();
    await runIngest(quietIngestDeps(domo, lake, now), config, { runId: 'old' });
    // The same chain as an older version wrote it (no `began`), ending in a run that died after
    // its opening digest, having rewritten hour 3.
    const keys = await listDigestKeys(lake, 'acme');
    let previous: { key: string; sha256: string } | null = null;
    for (const key of keys) {
      const { began: _dropped, ...legacy } = decodeDigest(key, lake.objects.get(key)?.body as Uint8Array);
      const body = encodeDigest({ ...legacy, previous });
      lake.putNow(key, body);
      previous = { key, sha256: sha256Hex(body) };
    }
    const dead: Digest = {
      format: DIGEST_FORMAT,
      instance: 'acme',
      sequence: keys.length,
      run_id: 'old-dead',
      created_at: new Date(now).toISOString(),
      previous,
      genesis: false,
      sealed: false,
      from_ms: hour(3),
      to_ms: hour(4),
      objects: [],
    };
    lake.putNow(digestKey('acme', keys.length), encodeDigest(dead));
    lake.putNow(activityKey('acme', hour(3)), new Uint8Array([1, 2, 3]));

    await runIngest(quietIngestDeps(domo, lake, now + HOUR_MS), config, { runId: 'new' });
    const report = await verifyIntegrity(lake, 'acme');
    // The new run swept the dead run's hours (it read hour 3); that older run listed no write
    // before making it, so nothing vouches for the bytes: a finding to check, naming it.
    expect(report.recordedOnRead).toEqual([]);
    expect(report.problems).toEqual([
      expect.objectContaining({
        kind: 'unvouched',
        key: activityKey('acme', hour(3)),
        detail: expect.stringMatching(/read them .*run old-dead, open then and never sealed/),
      }),
    ]);
  });
});
