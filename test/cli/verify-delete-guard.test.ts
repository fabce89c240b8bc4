import { describe, expect, it } from 'vitest';
import { describeReport } from '../../functions/cli/verify-report-text.ts';
import type { VerifyReport } from '../../functions/core/lake/verify-report.ts';
import { FROM, H, report } from '../support/verify-report-fixture.ts';

// Verify says to delete or move out unreadable objects, stray files and objects of hours not begun;
// on S3 the stack's bucket policy refuses the delete to every principal it does not name.
const stray = { ...report, foreignKeys: ['activity_log/instance=main/x.txt'], foreignKeyCount: 1 };
const line =
  '  every delete or move out of the lake above (on S3 as a principal retention.deleteAllowedPrincipals names: docs/operations.md, "Deleting from the lake")';

describe('verify on a lake on S3, where it says to delete', () => {
  it('says what a delete takes there', () => {
    expect(describeReport(stray, 's3://lake-bucket/').split('\n')).toContain(line);
  });

  it('says nothing of it for a lake on disk, or when nothing is to be deleted', () => {
    expect(describeReport(stray, '/home/ops/lake')).not.toContain('deleteAllowedPrincipals');
    expect(describeReport(report, 's3://lake-bucket/')).not.toContain('deleteAllowedPrincipals');
  });

  // Review verify6 #8: the note printed before the mismatch, grown-past-manifest, watermark-ahead
  // and integrity lines, so a line added there that says to delete would escape "above". It is
  // now the last line before the verdict, in a report with hours and in one without.
  it('is the last line before the verdict', () => {
    const late = {
      ...stray,
      ok: false,
      manifestMismatches: [{ windowStartMs: FROM, detail: 'manifest counts 2 events, the object holds 1' }],
      grownPastManifest: [{ windowStartMs: FROM + H, detail: 'holds 3, manifest counts 2' }],
      watermarkAhead: true as const,
    };
    for (const r of [late, { ...late, fromMs: null, toMs: null }]) {
      const lines = describeReport(r, 's3://lake-bucket/').trimEnd().split('\n');
      expect(lines.slice(-2)).toEqual([line, '  PROBLEMS FOUND']);
    }
  });

  // Each kind of line that says to delete or move out, alone in a report: the note follows it.
  const alone: [string, Partial<VerifyReport>, string][] = [
    [
      'an unreadable object ("or delete it")',
      { unreadable: [{ key: 'activity_log/k', detail: 'bad' }], unreadableCount: 1 },
      'or delete it (an hour',
    ],
    [
      'an object of an hour not begun ("Then delete it")',
      {
        futureObjects: [{ key: 'activity_log/f', windowStartMs: FROM + 60 * H }],
        futureObjectCount: 1,
        futureFromMs: FROM + 50 * H,
      },
      'Then delete it.',
    ],
    [
      'hours not ended holding objects ("move them out of the lake")',
      { heldNotEnded: { hourCount: 1, fromMs: FROM + 49 * H, toMs: FROM + 50 * H } },
      'have not ended yet',
    ],
    [
      'an interrupted first ingest\'s folder ("move … out of the lake")',
      { interruptedFirstIngests: ['quarantine/instance=second/'] },
      'If no ingest of "second" was meant, move digest/instance=second/ and this folder out of the lake',
    ],
  ];
  for (const [kind, fields, advice] of alone) {
    it(`follows ${kind}`, () => {
      const lines = describeReport({ ...report, ...fields }, 's3://lake-bucket/').split('\n');
      const said = lines.findIndex((l) => l.includes(advice));
      expect(said).toBeGreaterThan(-1);
      expect(lines.indexOf(line)).toBeGreaterThan(said);
      expect(describeReport({ ...report, ...fields }, '/home/ops/lake')).not.toContain(
        'deleteAllowedPrincipals',
      );
    });
  }

  it('follows an interrupted first ingest on a lake that covers no hour yet (which passes)', () => {
    const empty: VerifyReport = {
      ...report,
      fromMs: null,
      toMs: null,
      windowsExpected: 0,
      windowsCovered: 0,
      gaps: [],
      uncoveredBelowWatermark: 0,
      watermarkMs: null,
      interruptedFirstIngests: ['quarantine/instance=second/'],
      ok: true,
    };
    const lines = describeReport(empty, 's3://lake-bucket/').split('\n');
    expect(
      lines.some((l) => l.includes('move digest/instance=second/ and this folder out of the lake')),
    ).toBe(true);
    expect(lines).toContain(line);
  });
});
