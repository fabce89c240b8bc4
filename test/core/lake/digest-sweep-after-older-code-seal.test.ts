import { describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { sha256Hex } from '../../../functions/core/lake/digest.ts';
import { activityKey, digestPrefix } from '../../../functions/core/lake/layout.ts';
import { verifyIntegrity } from '../../../functions/core/lake/verify-integrity.ts';
import type { ObjectStore } from '../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { killedAfterPut } from '../../support/first-version-chain.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');
const hour = (h: number) => day0 + h * HOUR_MS;
const now = hour(6) + 30 * 60_000;
const config = { ...defaultIngestConfig('acme'), backfillDays: 1, concurrency: 1 };

/** The SHA-256 of digests as this code wrote them, to that of the same digests as older code did. */
const rewritten = new Map<string, string>();

/**
 * Digests as the code before `began`, `to_ms` and `intents` wrote them: the link to one rewritten
 * so names the bytes stored (the older code linked its own digests' bytes).
 */
const withoutBegan = (body: Uint8Array): Uint8Array => {
  const {
    began: _began,
    to_ms: _toMs,
    intents: _intents,
    ...older
  } = JSON.parse(new TextDecoder().decode(body));
  const linked = older.previous === null ? undefined : rewritten.get(older.previous.sha256);
  if (linked !== undefined) older.previous = { ...older.previous, sha256: linked };
  const bytes = new TextEncoder().encode(`${JSON.stringify(older)}\n`);
  rewritten.set(sha256Hex(body), sha256Hex(bytes));
  return bytes;
};

describe('the opening sweep after a seal written by older code (an upgrade with a run in flight)', () => {
  it('reads the hours of a run that died while the older run went on: verify finds no change', async () => {
    const domo = new MemoryAuditSource(
      Array.from({ length: 36 }, (_, i) => viewEntry(day0 + i * 10 * 60_000, i)),
    );
    const lake = new MemoryObjectStore();
    await runIngest(quietIngestDeps(domo, lake, now), config, { runId: 'scheduled-1' });
    for (const h of [0, 1, 3]) domo.add(viewEntry(hour(h) + 7 * 60_000 + 3, 500 + h));

    // Run A, older code: a re-pull of 00:00-02:00 held at its second hour's write.
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let atHold = () => {};
    const held = new Promise<void>((resolve) => {
      atHold = resolve;
    });
    const olderCode: ObjectStore = {
      location: lake.location,
      get: (key) => lake.get(key),
      list: (prefix) => lake.list(prefix),
      put: async (key, body, options) => {
        if (key === activityKey('acme', hour(1))) {
          atHold();
          await released;
        }
        return lake.put(key, key.startsWith(digestPrefix('acme')) ? withoutBegan(body) : body, options);
      },
    };
    const a = runIngest(quietIngestDeps(domo, olderCode, now), config, {
      runId: 'older-a',
      range: { fromMs: hour(0), toMs: hour(2) },
    });
    await held;

    // Run N, this code: a re-pull of 03:00, killed right after its write landed.
    const storeOfN = killedAfterPut(lake, activityKey('acme', hour(3)));
    await runIngest(quietIngestDeps(domo, storeOfN, now), config, {
      runId: 'new-n',
      range: { fromMs: hour(3), toMs: hour(4) },
    }).catch(() => undefined);
    release();
    await a;

    for (const later of [1, 2]) {
      await runIngest(quietIngestDeps(domo, lake, now + later * HOUR_MS), config, {
        runId: `scheduled-${later + 1}`,
      });
    }
    const report = await verifyIntegrity(lake, 'acme');
    expect(report.problems).toEqual([]);
    expect(report.recordedOnRead.map((entry) => entry.key)).toContain(activityKey('acme', hour(3)));
  });
});
