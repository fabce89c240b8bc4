/**
 * A re-pull of an older release killed mid-way leaves an `unvouched` finding for each object it
 * rewrote: the text printed each with the same 450 characters of explanation, 20 of them, then
 * "and 82 more", and never the commands to check or accept them (review R-UPGRADE M1, L1). The
 * findings a dead run may explain are now grouped by that run: the explanation once, the keys,
 * the one scratch pull over the hours the run pulled, and the round that accepts them.
 */
import { describe, expect, it } from 'vitest';
import { describeIntegrity } from '../../functions/cli/integrity-report-text.ts';
import { defaultIngestConfig } from '../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../functions/core/ingest/run-ingest.ts';
import type { IntegrityProblem } from '../../functions/core/lake/integrity-problem.ts';
import { emptyIntegrityReport } from '../../functions/core/lake/integrity-report.ts';
import { activityKey, digestKey } from '../../functions/core/lake/layout.ts';
import { verifyIntegrity } from '../../functions/core/lake/verify-integrity.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { lakeWithKilledRePull, rewriteDigestsWithout } from '../support/first-version-chain.ts';
import type { MemoryObjectStore } from '../support/memory-store.ts';
import { quietIngestDeps } from '../support/quiet-ingest-deps.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');
const hour = (h: number) => day0 + h * HOUR_MS;
const now = hour(6) + 30 * 60_000;
const config = { ...defaultIngestConfig('acme'), backfillDays: 1, concurrency: 1 };
const target = { lake: '/data/my lake', instance: 'acme' };

/** A lake of the release before intents whose re-pull of hours 1-4 died after writing hour 3. */
async function lakeAfterOlderKilledRePull(): Promise<MemoryObjectStore> {
  const { lake, domo } = await lakeWithKilledRePull(day0);
  await runIngest(quietIngestDeps(domo, lake, now), config, {
    runId: 'next',
    range: { fromMs: hour(1), toMs: hour(5) },
  });
  // The release before intents (52dd5610) wrote no `intents`.
  await rewriteDigestsWithout(lake, 'acme', ['intents']);
  return lake;
}

describe('verify --integrity text: findings a dead run may explain', () => {
  it('names the dead run and its hours once, lists the keys, the scratch pull and the accept round', async () => {
    const report = await verifyIntegrity(await lakeAfterOlderKilledRePull(), 'acme');
    const unvouched = report.problems.filter((p) => p.kind === 'unvouched');
    expect(unvouched.length).toBeGreaterThan(1);
    expect(unvouched[0]?.runs).toEqual([
      expect.objectContaining({ runId: 'killed', fromMs: hour(1), toMs: hour(5) }),
    ]);

    const text = describeIntegrity(report, target).join('\n');
    expect(text.match(/its release listed no write before making it/g)).toHaveLength(1);
    expect(text).toContain(
      `  unvouched: ${unvouched.length} version(s) that run killed (last digest ${unvouched[0]?.runs?.[0]?.digest}), never sealed, may have written in the hours it pulled (2026-10-01T01:00:00Z .. 2026-10-01T05:00:00Z)`,
    );
    expect(text).toContain(`\n    ${activityKey('acme', hour(3))} (sha256 `);
    expect(text).toContain(
      '\n    ingest --lake /tmp/scratch-killed --instance acme --from 2026-10-01T01:00:00Z --to 2026-10-01T05:00:00Z\n',
    );
    expect(text).toContain(
      `\n    verify --lake '/data/my lake' --instance acme --integrity --json | jq '.integrity.problems |= map(select(.kind == "unvouched" and .runs != null))' > findings.json\n`,
    );
    expect(text).toContain(
      "\n    verify --lake '/data/my lake' --instance acme --integrity --accept findings.json",
    );
    expect(text).not.toContain('unvouched: activity_log');
  });

  it('groups the findings of each run apart, and keeps the others one a line', () => {
    const run = (runId: string, n: number) => ({
      runId,
      digest: digestKey('acme', n),
      fromMs: hour(0),
      toMs: hour(n),
    });
    const finding = (kind: IntegrityProblem['kind'], i: number, runs?: ReturnType<typeof run>[]) => ({
      kind,
      key: activityKey('acme', hour(i)),
      detail: `detail ${i}`,
      sha256: 'b'.repeat(64),
      ...(runs ? { runs } : {}),
    });
    const problems = [
      ...Array.from({ length: 12 }, (_, i) => finding('unvouched', i, [run('old-a', 3)])),
      finding('unvouched', 20, [run('old-b', 4)]),
      finding('changed', 21, [run('new-c', 5)]),
      finding('changed', 22),
    ];
    const integrity = {
      ...emptyIntegrityReport('acme'),
      digests: 9,
      problems,
      problemsFound: problems.length,
      ok: false,
    };
    const text = describeIntegrity(integrity, target).join('\n');
    expect(text).toContain('  unvouched: 12 version(s) that run old-a');
    expect(text).toContain('    ... and 2 more (--json lists them)');
    expect(text).toContain('  unvouched: 1 version(s) that run old-b');
    expect(text).toContain(
      '  changed: 1 object(s) whose bytes no digest lists, of the hours that run new-c (last digest digest/instance=acme/0000000005.json) pulled (2026-10-01T00:00:00Z .. 2026-10-01T05:00:00Z): that run may have written them after its last digest, which is not sealed',
    );
    expect(text).not.toMatch(/new-c[^\n]*\n[^\n]*\n {4}ingest /);
    expect(text).toContain(`  changed: ${activityKey('acme', hour(22))}: detail 22`);
    expect(text.match(/--accept findings\.json/g)).toHaveLength(1);
  });

  it('pulls from the API the dead run read: the loopback in the command, any other only named (review R-EVIDENCE3 L3)', () => {
    const dead = (runId: string, apiBase?: string) => ({
      kind: 'unvouched' as const,
      key: activityKey('acme', hour(1)),
      detail: 'd',
      sha256: 'b'.repeat(64),
      runs: [
        {
          runId,
          digest: digestKey('acme', 3),
          fromMs: hour(1),
          toMs: hour(2),
          ...(apiBase ? { apiBase } : {}),
        },
      ],
    });
    const problems = [
      dead('sim', 'http://127.0.0.1:18961'),
      dead('domo', 'https://api.domo.com'),
      dead('proxy', 'https://proxy.example:8443'),
      dead('old'),
    ];
    const integrity = { ...emptyIntegrityReport('acme'), digests: 4, problems, problemsFound: 4, ok: false };
    const text = describeIntegrity(integrity, target).join('\n');
    expect(text).toContain(
      '\n    ingest --lake /tmp/scratch-sim --instance acme --api-base http://127.0.0.1:18961 --from 2026-10-01T01:00:00Z --to 2026-10-01T02:00:00Z\n',
    );
    expect(text).toContain('\n    ingest --lake /tmp/scratch-domo --instance acme --from ');
    expect(text).toContain('\n    ingest --lake /tmp/scratch-old --instance acme --from ');
    expect(text).toContain(
      "(its digests say it read https://proxy.example:8443, not Domo's API: whoever signed wrote that",
    );
    expect(text).toContain('\n    ingest --lake /tmp/scratch-proxy --instance acme --from ');
  });

  it('says why when only digests after the noted head claim the bytes for the run', async () => {
    // Review R-UPGRADE3 M4: a run killed after the head was noted; its writes are to check, not
    // "changed outside the ingest", with the same scratch pull and accept round.
    const noted = digestKey('acme', 3);
    const runs = [{ runId: 'killed', digest: digestKey('acme', 7), fromMs: hour(1), toMs: hour(5) }];
    const problems = [1, 2].map((i) => ({
      kind: 'unvouched' as const,
      key: activityKey('acme', hour(i)),
      detail: `detail ${i}`,
      sha256: 'c'.repeat(64),
      runs,
      claimedAfterNotedHead: noted,
    }));
    const integrity = {
      ...emptyIntegrityReport('acme'),
      digests: 9,
      problems,
      problemsFound: 2,
      ok: false,
    };
    const text = describeIntegrity(integrity, target).join('\n');
    expect(text).toContain(
      `  unvouched: 2 version(s) that run killed (last digest ${digestKey('acme', 7)}), never sealed, may have written in the hours it pulled (2026-10-01T01:00:00Z .. 2026-10-01T05:00:00Z); only digests after the noted head ${noted} say so, and no checked signature vouches for them (the ingest's, killed after that head was noted, or a forger's), so a forgery in its hours looks the same.`,
    );
    expect(text).not.toContain('its release listed no write');
    expect(text).toContain(
      '\n    ingest --lake /tmp/scratch-killed --instance acme --from 2026-10-01T01:00:00Z',
    );
    expect(text).toContain('--integrity --accept findings.json');
  });
});
