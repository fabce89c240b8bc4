/**
 * The line on objects stored otherwise than at the noted head, in each case of what follows the
 * head. Review AUDITOR2 (2026-12-07): checked with --expect-head right after an erasure by hand,
 * the report said the rewritten objects were held "as signed digests after it list them", though
 * no digest followed the head (every digest after it signed: vacuously true).
 */
import { describe, expect, it } from 'vitest';
import { describeReport } from '../../functions/cli/verify-report-text.ts';
import { emptyIntegrityReport, type IntegrityReport } from '../../functions/core/lake/integrity-report.ts';
import { activityKey, digestKey } from '../../functions/core/lake/layout.ts';
import { FROM, H, report } from '../support/verify-report-fixture.ts';

const noted = digestKey('main', 7);
const later = digestKey('main', 9);
const hour1 = activityKey('main', FROM + H);
const hour2 = activityKey('main', FROM + 2 * H);

/** The report of a check whose noted head is held, the chain's head being `head`. */
function text(head: string, changed: Partial<NonNullable<IntegrityReport['changedSinceNoted']>>) {
  const integrity: IntegrityReport = {
    ...emptyIntegrityReport('main'),
    digests: 10,
    objectsChecked: 30,
    head: { key: head, sha256: 'a'.repeat(64) },
    notedHeads: [{ key: noted, sha256: 'b'.repeat(64) }],
    changedSinceNoted: { after: noted, signed: true, count: 1, objects: [], ...changed },
  };
  return describeReport({ ...report, integrity }, '/lake');
}

const changedObject = { what: 'changed' as const, notedSha256: 'c'.repeat(64), sha256: 'd'.repeat(64) };

describe('verify --integrity --expect-head: objects stored otherwise than at the noted head', () => {
  it('says no digest follows a noted head that is the chain head, signed or not', () => {
    for (const signed of [true, false]) {
      const out = text(noted, { signed, objects: [{ key: hour1, ...changedObject }] });
      expect(out).toContain(
        `  1 object(s) the store holds otherwise than at the noted head ${noted}, and no digest follows that head (it is the chain's head): no run since wrote them; they were rewritten outside the ingest (by hand, as an erasure, or by a forger): the findings below name each\n`,
      );
      expect(out).not.toContain('signed digests after it');
      expect(out).not.toContain('vouches for every digest after it');
    }
  });

  it('names the run of each object a signed digest after the head lists, and which none lists', () => {
    const out = text(later, {
      count: 2,
      objects: [
        { key: hour1, ...changedObject, digest: later, runId: 'r-9' },
        { key: hour2, ...changedObject },
      ],
    });
    expect(out).toContain(
      `  2 object(s) the store holds otherwise than at the noted head ${noted}, and every digest after it is signed, checked: those a digest after it lists (its run named) are a re-pull of late events, or an enrich;`,
    );
    expect(out).toContain(`    ${hour1} (changed, run r-9 in ${later})\n`);
    expect(out).toContain(`    ${hour2} (changed, listed by no digest after the head)\n`);
  });

  it('says not every digest after the head has a checked signature when one has none', () => {
    const out = text(later, { signed: false, objects: [{ key: hour1, ...changedObject }] });
    expect(out).toContain(
      `  1 object(s) the store holds otherwise than the digests up to the noted head ${noted} left them, and no checked signature vouches for every digest after it: the \`changed-since-noted\` and \`created-since-noted\` findings below`,
    );
    expect(out).not.toContain('no digest follows');
  });
});
