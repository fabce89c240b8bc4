import { describe, expect, it } from 'vitest';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { listDigestKeys, sha256Hex } from '../../../functions/core/lake/digest.ts';
import { digestKey } from '../../../functions/core/lake/layout.ts';
import { verifyIntegrity } from '../../../functions/core/lake/verify-integrity.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { viewEntry } from '../../support/memory-audit-source.ts';
import { DAY0, lakeAfterOneRun, oneDayConfig } from './support/one-run-lake.ts';

const day0 = DAY0;
const config = oneDayConfig;

/** A lake whose chain has a junk object at the next digest number: what PutObject alone can do. */
async function junkAtTheHead(junk: string) {
  const { source, store, deps, setClock } = await lakeAfterOneRun();
  const junkKey = digestKey('acme', (await listDigestKeys(store, 'acme')).length);
  store.putNow(junkKey, new TextEncoder().encode(junk), { ifNoneMatch: '*' });
  source.add(viewEntry(day0 + 6 * HOUR_MS + 5, 99));
  setClock(day0 + 7 * HOUR_MS + 30 * 60_000);
  const failed = await runIngest(deps, config());
  return { store, deps, junkKey, failed };
}

describe('a junk object at the head of the digest chain', () => {
  it.each([
    ['empty', '', /is not valid JSON/],
    ['another format', '{"format":"x"}', /is not a domo-activity-lake\/digest@1 document/],
  ])('(%s) fails the run with a message saying where to look', async (_, junk, what) => {
    const { failed, junkKey } = await junkAtTheHead(junk);
    expect(failed.outcome).toBe('failed');
    const message = failed.failures[0]?.message ?? '';
    expect(message).toContain(`digest ${junkKey} `);
    expect(message).toMatch(what);
    expect(message).toMatch(
      /every run fails until it is dealt with\. The integrity check of verify reports it as bad-digest; see docs\/operations\.md, "A digest of the chain is not a digest"/,
    );
  });

  it('passes again once removed as the runbook says, leaving one finding to accept', async () => {
    const { store, deps, junkKey } = await junkAtTheHead('');
    const before = await verifyIntegrity(store, 'acme', { versions: store });
    expect(before.problems.map((p) => `${p.kind} ${p.key}`)).toContain(`bad-digest ${junkKey}`);

    // The runbook: report kept, junk removed with a delete marker (its version stays), next run.
    store.delete(junkKey);
    expect((await runIngest(deps, config())).outcome).toBe('complete');
    const after = await verifyIntegrity(store, 'acme', { versions: store });
    expect(after.problems.map((p) => `${p.kind} ${p.key}`)).toEqual([`digest-deleted ${junkKey}`]);
    // About the digest the next run wrote at the number: the finding copied from the report names it.
    const sha256 = after.problems[0]?.sha256;
    expect(sha256).toBe(sha256Hex(store.objects.get(junkKey)?.body as Uint8Array));
    const accepted = await verifyIntegrity(store, 'acme', {
      versions: store,
      accepted: [
        { kind: 'digest-deleted', key: junkKey, sha256, note: 'junk digest removed, incident 2026-12' },
      ],
    });
    expect(accepted).toMatchObject({ ok: true, problems: [] });
  });
});
