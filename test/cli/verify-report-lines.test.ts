import { describe, expect, it } from 'vitest';
import { describeReport } from '../../functions/cli/verify-report-text.ts';
import { emptyIntegrityReport, type IntegrityReport } from '../../functions/core/lake/integrity-report.ts';
import { coverageKey } from '../../functions/core/lake/layout.ts';
import { verifyLake } from '../../functions/core/lake/verify-lake.ts';
import type { VerifyReport } from '../../functions/core/lake/verify-report.ts';
import { MemoryObjectStore } from '../support/memory-store.ts';
import { FROM, H, report } from '../support/verify-report-fixture.ts';

describe('what verify reports about uncovered hours', () => {
  it('tells how to fill a single hour below the watermark and a single one after it', () => {
    const text = describeReport(report, '/lake');
    expect(text).toContain(
      '  1 hour(s) below the watermark are not covered: no scheduled run goes back for them; re-pull the gaps with ingest --from/--to\n',
    );
    expect(text).toContain(
      '  1 hour(s) at or after the watermark are not covered (a run failed or stopped before them): the next ingest without --from/--to pulls every hour from the watermark on and fills them\n',
    );
    expect(text.endsWith('  PROBLEMS FOUND\n')).toBe(true);
  });

  it("shows a reason quoting Domo's text without its controls (escapes, bells, bidi overrides)", () => {
    const reason =
      'time "…"\u001b]0;PWNED\u0007\u001b]52;c;Y3Vy\u0007\u202eevil\n"…" is ISO 8601 without a zone';
    const text = describeReport(
      { ...report, quarantined: 1, quarantineReasons: [{ reason, count: 1 }] },
      '/lake',
    );
    expect(text).toContain('    1 x time "…"]0;PWNED]52;c;Y3Vyevil "…" is ISO 8601 without a zone\n');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters is the point
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u202e]/);
  });

  it('counts the entries of the quarantine reasons it leaves out', () => {
    const reasons = [9, 8, 7, 6, 5, 4, 3].map((count, i) => ({ reason: `reason ${i}`, count }));
    const text = describeReport({ ...report, quarantined: 42, quarantineReasons: reasons }, '/lake');
    expect(text).toContain('    and 2 more reasons (7 entries): --json lists them all\n');
  });
});

describe('what verify reports about an hour whose object grew past its manifest', () => {
  it('says a pull is in progress or was interrupted, on its own line, and still passes', () => {
    const grown = { windowStartMs: FROM + 2 * H, detail: 'manifest says 3 events, object holds 4' };
    const text = describeReport(
      { ...report, gaps: [], uncoveredBelowWatermark: 0, grownPastManifest: [grown], ok: true },
      '/lake',
    );
    expect(text).toContain(
      '  object grew past its manifest at 2026-10-01 02:00Z: manifest says 3 events, object holds 4: a pull in progress, or one interrupted before its manifest — the next run that pulls the hour rewrites it (a scheduled run from its lookback on; re-pull older ones with ingest --from/--to)\n',
    );
    expect(text.endsWith('  OK\n')).toBe(true);
  });
});

describe('what verify reports about the twins of a repeated hour', () => {
  it('counts them on their own line, not as duplicates, and still passes', () => {
    const text = describeReport(
      { ...report, gaps: [], uncoveredBelowWatermark: 0, repeatedHourTwins: 2, ok: true },
      '/lake',
    );
    expect(text).toContain('duplicate ids: 0, misplaced');
    expect(text).toContain(
      '  ids in both readings of a repeated hour (an hour apart, 30 minutes on Lord Howe), from a zone-less time string: 2 (identical entries in the two occurrences of the hour that repeats as clocks go back share an id; not a duplicate, see docs/operations.md "Duplicate ids in two hours")\n',
    );
    expect(text.endsWith('  OK\n')).toBe(true);
    expect(describeReport({ ...report, repeatedHourTwins: 0 }, '/lake')).not.toContain('zone-less');
  });
});

describe('what verify says of a range it clipped', () => {
  const clippedAt = (clipped: VerifyReport['clipped']) => describeReport({ ...report, clipped }, '/lake');

  it('names the current hour, not the watermark, when the watermark lies past now', () => {
    const text = clippedAt({ requestedToMs: FROM + 72 * H, settleMinutes: 15, watermarkAhead: true });
    expect(text).toContain(
      `checked up to 2026-10-03 00:00Z, the start of the current hour: the lake's watermark lies past now`,
    );
    expect(text).not.toContain("the lake's watermark: hours before it");
  });

  it("names the settle time the lake's last run recorded when that judged the hours", () => {
    const text = clippedAt({ requestedToMs: FROM + 72 * H, settleMinutes: 90, settleFromLastRun: true });
    expect(text).toContain(
      "(windows must end 90 min before now, the settle time the lake's last ingest run recorded)",
    );
  });
});

describe('what verify --integrity reports about the chain and accepted findings', () => {
  const integrity: IntegrityReport = { ...emptyIntegrityReport('main'), digests: 3, objectsChecked: 10 };
  const lines = (i: Partial<IntegrityReport>) =>
    describeReport({ ...report, integrity: { ...integrity, ...i } }, '/lake');

  it('says a lake without a digest may predate digests, and what to do', () => {
    expect(lines({ digests: 0 })).toContain(
      '  no digest chain: a lake written before digests, which its next ingest adopts in a genesis digest (run one, then verify again: until then nothing can be vouched for), or a lake whose digests were removed (docs/guarantees.md §6)\n',
    );
    expect(lines({})).not.toContain('no digest chain');
  });

  it('says what a pass proves when no checked signature and no noted head vouch for the chain', () => {
    const ok = (i: Partial<IntegrityReport>) =>
      describeReport(
        {
          ...report,
          gaps: [],
          ok: true,
          integrity: { ...integrity, ...i, signingKey: { keyIds: [] } },
        } as VerifyReport,
        '/lake',
      )
        .trimEnd()
        .split('\n')
        .at(-1);
    expect(ok({})).toBe(
      '  OK (consistency only: the chain is unsigned and no noted head was given (--expect-head))',
    );
    expect(ok({ signedDigests: 3 })).toBe(
      '  OK (consistency only: its signatures were not checked (give --public-key) and no noted head was given (--expect-head))',
    );
    // Signatures checked vouch for every digest the chain holds, not for the digests it no longer
    // holds at its end: only a noted head or, on S3, the digests' versions do (review R-AUDITOR H1).
    expect(ok({ signedDigests: 3, signaturesChecked: true })).toBe(
      "  OK (the chain's end is not anchored: digests removed from its end together with what they list pass; note the head and give it to the next check (--expect-head))",
    );
    expect(ok({ signedDigests: 3, signaturesChecked: true, digestVersions: 'checked' })).toBe('  OK');
    expect(
      ok({ notedHeads: [{ key: 'digest/instance=main/0000000002.json', sha256: 'a'.repeat(64) }] }),
    ).toBe('  OK');
    expect(lines({})).toContain('none signed (an unsigned chain: a key checks nothing)');
  });

  it('prints when the chain began, and warns of objects adopted at genesis by runs it has no record of', () => {
    const genesis = {
      key: 'digest/instance=main/0000000000.json',
      sha256: 'c'.repeat(64),
      createdAt: '2026-12-01T10:00:00.000Z',
    };
    const text = lines({
      genesis,
      adoptedAtGenesis: 40,
      adoptedWriters: {
        manifests: 12,
        runs: 3,
        firstFetchedAt: '2026-11-20T01:00:00.000Z',
        lastFetchedAt: '2026-11-30T23:00:00.000Z',
        byRecordingVersion: 0,
      },
    });
    expect(text).toContain(
      `  genesis: ${genesis.key}, created 2026-12-01T10:00:00.000Z, sha256 ${'c'.repeat(64)}\n`,
    );
    expect(text).toContain(
      '  warning: 40 object(s) adopted at genesis: the chain holds no history of them, only their bytes when it began; the 12 adopted manifest(s) read name 3 run(s) the chain has no record of, pulled from 2026-11-20T01:00:00.000Z to 2026-11-30T23:00:00.000Z. Right once',
    );
    expect(lines({ genesis })).not.toContain('warning: ');
  });

  it('names a genesis its run was told to make over recorded hours a deliberate restart', () => {
    const genesis = {
      key: 'digest/instance=main/0000000000.json',
      sha256: 'c'.repeat(64),
      createdAt: '2026-12-06T10:00:00.000Z',
      runId: '20261206T100000Z-abc123',
      restarted: true as const,
    };
    expect(lines({ genesis })).toContain(
      `  genesis: ${genesis.key}, created 2026-12-06T10:00:00.000Z, a deliberate restart by run 20261206T100000Z-abc123, sha256 ${'c'.repeat(64)}\n`,
    );
  });

  it('counts the unlisted objects of a lake without digests on one line, and lists the other findings', () => {
    const unlisted = Array.from({ length: 30 }, (_, n) => ({
      kind: 'unlisted' as const,
      key: `activity_log/instance=main/dt=2026-11-14/2026-11-14T${String(n % 24).padStart(2, '0')}-${n}.ndjson.gz`,
      detail: 'no digest lists this object',
    }));
    const missing = { kind: 'missing' as const, key: 'checkpoint/main.json', detail: 'gone' };
    const text = lines({ digests: 0, problems: [...unlisted, missing] });
    expect(text).toContain(
      '  unlisted: 30 object(s), no digest lists any of them (the line above says why; --json lists each)\n',
    );
    expect(text).not.toContain('no digest lists this object');
    expect(text).toContain('  missing: checkpoint/main.json: gone\n');
    const chained = lines({ digests: 3, problems: unlisted.slice(0, 2) });
    expect(chained).toContain(`  unlisted: ${unlisted[0]?.key}: no digest lists this object\n`);
    expect(chained).not.toContain('object(s), no digest lists any');
  });

  it('tells an accepted finding whose key is a problem again (rewritten) from one that is gone', () => {
    const digest = 'digest/instance=main/0000000037.json';
    const text = lines({
      problems: [
        { kind: 'unsigned', key: digest, detail: 'the digest (sha256 f7eabc6b415b…) carries no signature' },
      ],
      acceptedNotFound: [
        { kind: 'unsigned', key: digest, sha256: 'a'.repeat(64) },
        { kind: 'changed', key: 'activity_log/x', sha256: 'b'.repeat(64) },
      ],
    });
    expect(text).toContain('  1 accepted finding(s) now name other bytes');
    expect(text).toContain(`    unsigned: ${digest}\n`);
    expect(text).toContain('  1 accepted finding(s) no longer found');
    expect(text).not.toContain('  2 accepted finding(s) no longer found');
  });

  it("shows an open digest's run id and time without their control characters: anyone who writes the lake writes them", () => {
    const forged = 'x\r\u001b[2Kverify main: OK\u0007';
    const text = [
      lines({
        unsealedHead: {
          key: 'digest/instance=main/0000000009.json',
          runId: forged,
          createdAt: '2026-10-02T\u001b[31m',
          fromMs: null,
        },
      }),
      describeReport(
        {
          ...report,
          beingWritten: {
            runs: [
              {
                runId: forged,
                digestKey: 'digest/instance=main/0000000009.json',
                lastWriteAt: '2026-10-02T\u001b[31m',
                fromMs: null,
                toMs: null,
              },
            ],
            hours: [{ fromMs: FROM + 40 * H, toMs: FROM + 41 * H }],
            hourCount: 1,
            withEventsOnly: 0,
          },
        },
        '/lake',
      ),
    ].join('');
    expect([...text].filter((c) => (c < ' ' && c !== '\n') || c === '\u007f')).toEqual([]);
    expect(text).toContain('run x [2Kverify main: OK, 2026-10-02T[31m) is not sealed');
    expect(text).toContain('run x [2Kverify main: OK (last digest 2026-10-02T[31m, not sealed)');
  });
});

describe('what verify reports about events stored in two shapes', () => {
  it('counts them on their own line, informational, and still passes', () => {
    const text = describeReport(
      { ...report, gaps: [], uncoveredBelowWatermark: 0, copiesInAnotherShape: 3, ok: true },
      '/lake',
    );
    expect(text).toContain(
      '  events also stored in another shape: 3 (the same time and columns, or user, action and object, as another event of their hour, from other bytes: Domo changed how it serves entries (older code stored them twice; a value it changed is stored again by design), or they differ only in other fields; not a failure, see docs/operations.md "Events stored in two shapes")\n',
    );
    expect(text.endsWith('  OK\n')).toBe(true);
    expect(describeReport(report, '/lake')).not.toContain('another shape');
  });
});

// Review R-AHEAD2 (2): a lake whose only hours were not begun printed only "the lake holds no
// covered hour yet" and exited 1, with no reason (its JSON named them); its stray files and
// stray instance folders were not named either.
describe('what verify reports of a lake with no hour to check', () => {
  it('names what fails it, and what to do, as the report of a lake with hours does', async () => {
    const lake = new MemoryObjectStore();
    const ahead = coverageKey('acme', FROM + 30 * 24 * H);
    const stray = 'activity_log/instance=acme/dt=2020-01-01/extra.ndjson.gz';
    lake.putNow(ahead, new Uint8Array());
    lake.putNow(stray, new Uint8Array());
    const r = await verifyLake(lake, 'acme', undefined, {
      nowMs: FROM + 5 * H,
      strayFolders: ['activity_log/instance=Acme/'],
    });
    const text = describeReport(r, '/lake');
    expect(text.split('\n')[0]).toBe('verify acme at /lake: the lake holds no covered hour yet');
    expect(text).toContain(`  object of an hour not begun (2026-10-31 00:00Z): ${ahead}\n`);
    expect(text).toContain(`  not an object of this lake: ${stray}\n`);
    expect(text).toContain('  not an object of this lake: activity_log/instance=Acme/\n');
    expect(text).toContain(': move them out of the lake (or delete them)\n');
    expect(text).toContain('see docs/operations.md, "Objects of hours not begun"\n');
    expect(text.endsWith('  PROBLEMS FOUND\n')).toBe(true);
    // A lake holding nothing passes, on one line, as before.
    const empty = await verifyLake(new MemoryObjectStore(), 'acme', undefined, { nowMs: FROM });
    expect(describeReport(empty, '/lake')).toBe('verify acme at /lake: the lake holds no covered hour yet\n');
  });
});

describe('what verify reports without --integrity', () => {
  it('says the bytes were not checked, before a verdict that would read as if they were', () => {
    // Rows rewritten in place (columns and raw alike) pass the plain check: review R-AUDIT L1.
    const text = describeReport({ ...report, gaps: [], uncoveredBelowWatermark: 0, ok: true }, '/lake');
    expect(text).toContain(
      '  integrity: not checked (add --integrity: the bytes are checked against the digest chain)\n',
    );
    expect(text.endsWith('  OK\n')).toBe(true);
    const checked = describeReport(
      { ...report, gaps: [], uncoveredBelowWatermark: 0, ok: true, integrity: emptyIntegrityReport('main') },
      '/lake',
    );
    expect(checked).not.toContain('integrity: not checked');
  });
});
