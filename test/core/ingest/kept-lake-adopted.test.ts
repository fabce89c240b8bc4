/**
 * A stack destroyed and deployed again over its kept lake (docs/operations.md "Recovery", "The
 * stack is deleted"): the first run of the new stack reads the checkpoint and the digest chain the
 * old stack's runs left, under the new stack's settings (another backfill and lookback, another run
 * record), and goes on from them: it pulls the hours missed since the watermark, not a backfill,
 * and appends to the old chain, not a new one. The signatures stay checkable with one public key
 * only if the new stack signs with the old stack's key: with a new key, each half of the chain
 * fails against the other's.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import type { IngestConfig } from '../../../functions/core/ingest/ingest-types.ts';
import { recordLastRun } from '../../../functions/core/ingest/record-last-run.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { type DigestSigner, listDigestKeys } from '../../../functions/core/lake/digest.ts';
import { activityKey, digestKey, digestSequenceFromKey } from '../../../functions/core/lake/layout.ts';
import { verifyIntegrity } from '../../../functions/core/lake/verify-integrity.ts';
import { HOUR_MS, MINUTE_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

const START = Date.parse('2026-10-01T00:00:00Z');
const hour = (n: number) => START + n * HOUR_MS;
/** A scheduled run of the hour after hour `n`'s end, past the settle time. */
const runAfter = (n: number) => hour(n + 1) + 20 * MINUTE_MS;
/** The old stack's last run; the new stack's first comes {@link GAP_HOURS} later. */
const OLD_LAST_HOUR = 5;
const GAP_HOURS = 6;
const NEW_FIRST_RUN = runAfter(OLD_LAST_HOUR + GAP_HOURS);

/** A P-256 signing key as the stack's KMS key signs, and its public half as `verify` takes it. */
function signingKey(name: string): { signer: DigestSigner; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    signer: {
      keyId: `arn:aws:kms:eu-west-1:123456789012:key/${name}`,
      sign: async (message) => sign('sha256', message, privateKey),
    },
    publicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
  };
}

const source = new MemoryAuditSource(
  Array.from({ length: OLD_LAST_HOUR + GAP_HOURS + 2 }, (_, i) => viewEntry(hour(i) + MINUTE_MS, i)),
);

/** The old stack's settings, and the new one's: only the instance's name carries over. */
const oldStack: IngestConfig = { ...defaultIngestConfig('acme'), backfillDays: 1 };
const newStack: IngestConfig = {
  ...defaultIngestConfig('acme'),
  backfillDays: 90,
  lookbackHours: 4,
  concurrency: 2,
};

/** The lake the old stack left: hourly runs signed by `signer`, each with its run record. */
async function keptLake(signer: DigestSigner): Promise<MemoryObjectStore> {
  const lake = new MemoryObjectStore();
  for (let n = 0; n <= OLD_LAST_HOUR; n++) {
    const deps = { ...quietIngestDeps(source, lake, runAfter(n)), digestSigner: signer };
    const summary = await runIngest(deps, oldStack, { runId: `old-${n}` });
    await recordLastRun(lake, summary, runAfter(n));
  }
  return lake;
}

const chainHead = async (lake: MemoryObjectStore) =>
  digestSequenceFromKey((await listDigestKeys(lake, 'acme')).at(-1) as string) as number;

describe("a new stack's first run over the lake a destroyed stack kept", () => {
  it('pulls the hours missed since the watermark and appends to the old chain, signed by the kept key', async () => {
    const kept = signingKey('kept');
    const lake = await keptLake(kept.signer);
    const oldHead = await chainHead(lake);
    const genesis = lake.objects.get(digestKey('acme', 0))?.body;

    const deps = { ...quietIngestDeps(source, lake, NEW_FIRST_RUN), digestSigner: kept.signer };
    const run = await runIngest(deps, newStack, { runId: 'new-stack-first' });

    expect(run.windowsFailed).toBe(0);
    // From the watermark (with the lookback's and the later pull's hours), not the 90 × 24 hours
    // of a first run's backfill.
    expect(run.windowsPlanned).toBeLessThan(24);
    for (let n = 0; n <= OLD_LAST_HOUR + GAP_HOURS; n++) {
      expect(lake.objects.has(activityKey('acme', hour(n))), `hour ${n}`).toBe(true);
    }
    // The same chain, grown: its genesis untouched, the run's digests after the old head.
    expect(lake.objects.get(digestKey('acme', 0))?.body).toEqual(genesis);
    expect(run.digestHead).toBeGreaterThan(oldHead);
    const report = await verifyIntegrity(lake, 'acme', { publicKey: kept.publicKey });
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.signedDigests).toBe(report.digests);
  });

  it('signed by a new key instead, the chain still links but no one public key checks it whole', async () => {
    const kept = signingKey('kept');
    const fresh = signingKey('fresh');
    const lake = await keptLake(kept.signer);

    const deps = { ...quietIngestDeps(source, lake, NEW_FIRST_RUN), digestSigner: fresh.signer };
    await runIngest(deps, newStack, { runId: 'new-stack-first' });

    const kinds = async (publicKey: string) =>
      (await verifyIntegrity(lake, 'acme', { publicKey })).problems.map((problem) => problem.kind);
    // Each key finds the other's digests badly signed; the links between them hold.
    expect(await kinds(kept.publicKey)).toContain('bad-signature');
    expect(await kinds(fresh.publicKey)).toContain('bad-signature');
    expect(await kinds(fresh.publicKey)).not.toContain('broken-link');
  });
});
