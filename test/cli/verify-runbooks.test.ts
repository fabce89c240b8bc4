import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeReport } from '../../functions/cli/verify-report-text.ts';
import { INTEGRITY_FINDING_RUNBOOKS, VERIFY_FINDING_RUNBOOKS } from '../../functions/cli/verify-runbooks.ts';
import { INTEGRITY_PROBLEM_KINDS } from '../../functions/core/lake/integrity-problem.ts';
import { emptyIntegrityReport } from '../../functions/core/lake/integrity-report.ts';
import {
  VERIFY_FINDING_KINDS,
  type VerifyFindingKind,
  verifyFindingKinds,
} from '../../functions/core/lake/verify-finding-kinds.ts';
import type { VerifyReport } from '../../functions/core/lake/verify-report.ts';
import { docHeadings } from '../support/doc-headings.ts';
import { FROM, report as fixture, H } from '../support/verify-report-fixture.ts';

// Review ONCALL: every alarm and every state of status named its runbook section, but verify's
// findings did not (`missing` named none, `changed` a paraphrase of its heading): the on-call
// reading PROBLEMS FOUND had to search docs/operations.md for what to do.

const OPERATIONS = readFileSync(new URL('../../docs/operations.md', import.meta.url), 'utf8');

/** The text of the section under `heading` (as {@link headings} reads it), to the next heading. */
function sectionText(heading: string): string {
  const lines = OPERATIONS.split('\n');
  const start = lines.findIndex(
    (line) =>
      line
        .replace(/^#+\s+/, '')
        .replaceAll('`', '')
        .trim() === heading,
  );
  const end = lines.findIndex((line, i) => i > start && /^#{1,3}\s/.test(line));
  return lines.slice(start, end === -1 ? undefined : end).join('\n');
}

/** A report of one hour, covered, that passes: each kind of finding below is added to it alone. */
const clean = (): VerifyReport => ({
  ...structuredClone(fixture),
  toMs: FROM + H,
  windowsExpected: 1,
  windowsCovered: 1,
  gaps: [],
  uncoveredBelowWatermark: 0,
  watermarkMs: FROM + H,
  ok: true,
});

/** One finding of each kind, added to a report that passes. */
const ADD: Record<VerifyFindingKind, (r: VerifyReport) => void> = {
  gap: (r) => {
    r.gaps = [{ fromMs: FROM, toMs: FROM + H }];
    r.windowsCovered = 0;
    r.uncoveredBelowWatermark = 1;
  },
  duplicate: (r) => {
    r.duplicateIds = 1;
    r.duplicates = [{ windowStartMs: FROM, eventId: 'e1' }];
  },
  misplaced: (r) => {
    r.misplacedRecords = 1;
  },
  'not-from-raw': (r) => {
    r.rowsNotFromRaw = { count: 1, listed: [{ windowStartMs: FROM, eventId: 'e1', what: 'id' }] };
  },
  mismatch: (r) => {
    r.manifestMismatches = [{ windowStartMs: FROM, detail: 'manifest says 2 events, object holds 1' }];
  },
  unreadable: (r) => {
    r.unreadable = [{ key: 'activity_log/x.ndjson.gz', detail: 'not valid gzip-compressed UTF-8' }];
    r.unreadableCount = 1;
  },
  foreign: (r) => {
    r.foreignKeys = ['activity_log/instance=main/dt=2026-10-01/notes.txt'];
    r.foreignKeyCount = 1;
  },
  'future-object': (r) => {
    r.futureObjects = [{ key: 'activity_log/x.ndjson.gz', windowStartMs: FROM + 100 * H }];
    r.futureObjectCount = 1;
    r.futureFromMs = FROM + 99 * H;
  },
  'watermark-ahead': (r) => {
    r.watermarkAhead = true;
  },
  'start-unlinked': (r) => {
    r.startUnlinked = 'digest/instance=main/0000000000.json';
  },
};

const quoted = (heading: string) => `docs/operations.md "${heading}"`;
const oneLine = (text: string) => text.replace(/\s+/g, ' ');

describe("verify's findings", () => {
  it('each have a runbook section of docs/operations.md that exists, kinds as the code lists them', () => {
    const all = docHeadings('operations.md');
    for (const kind of VERIFY_FINDING_KINDS)
      expect(all, `verify's ${kind}`).toContain(VERIFY_FINDING_RUNBOOKS[kind].heading);
    for (const kind of INTEGRITY_PROBLEM_KINDS) {
      expect(all, `verify --integrity's ${kind}`).toContain(INTEGRITY_FINDING_RUNBOOKS[kind]);
      // The section says what the finding is, by its name.
      expect(sectionText(INTEGRITY_FINDING_RUNBOOKS[kind]), kind).toContain(`\`${kind}\``);
    }
  });

  it('are each named, with their section, on a line above PROBLEMS FOUND', () => {
    for (const kind of VERIFY_FINDING_KINDS) {
      const r = clean();
      ADD[kind](r);
      // The kinds are what fails the check: each added alone is found, and alone.
      expect(verifyFindingKinds(r), kind).toEqual([kind]);
      r.ok = false;
      const { heading, words } = VERIFY_FINDING_RUNBOOKS[kind];
      const text = oneLine(describeReport(r, '/lake'));
      expect(text, kind).toContain(`what to do (${words}): see ${quoted(heading)}`);
      expect(text.indexOf('what to do'), kind).toBeLessThan(text.indexOf('PROBLEMS FOUND'));
    }
  });

  it('of the integrity check each name their section, several kinds of one section on one line', () => {
    for (const kind of INTEGRITY_PROBLEM_KINDS) {
      const r: VerifyReport = {
        ...clean(),
        ok: false,
        integrity: {
          ...emptyIntegrityReport('main'),
          digests: 3,
          problems: [{ kind, key: 'k', detail: 'd' }],
          problemsFound: 1,
          ok: false,
        },
      };
      const text = oneLine(describeReport(r, '/lake'));
      expect(text, kind).toContain(`what to do (${kind}): see ${quoted(INTEGRITY_FINDING_RUNBOOKS[kind])}`);
    }
  });

  it("name each section once for the on-call review's lake: a gap, an unreadable object, changed and missing", () => {
    const r = clean();
    ADD.gap(r);
    ADD.unreadable(r);
    r.ok = false;
    r.integrity = {
      ...emptyIntegrityReport('main'),
      digests: 3,
      problems: [
        { kind: 'changed', key: 'a', detail: 'd' },
        { kind: 'changed', key: 'b', detail: 'd' },
        { kind: 'missing', key: 'c', detail: 'd' },
      ],
      problemsFound: 3,
      ok: false,
    };
    const lines = describeReport(r, '/lake')
      .split('\n')
      .filter((line) => line.startsWith('  what to do'));
    expect(lines).toEqual([
      `  what to do (gap, unreadable): see ${quoted(VERIFY_FINDING_RUNBOOKS.gap.heading)}`,
      `  what to do (changed, missing): see ${quoted(INTEGRITY_FINDING_RUNBOOKS.changed)}`,
    ]);
  });

  it('name no section in a report that passes', () => {
    expect(describeReport(clean(), '/lake')).not.toContain('what to do');
  });
});
