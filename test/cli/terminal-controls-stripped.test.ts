import { describe, expect, it } from 'vitest';
import { describeReport } from '../../functions/cli/verify-report-text.ts';
import { emptyIntegrityReport } from '../../functions/core/lake/integrity-report.ts';
import type { InstanceStatus } from '../../functions/core/status/instance-status.ts';
import { visibleLine } from '../../functions/core/visible-line.ts';
import { healthyInstance, statusTableOf } from '../support/instance-status-fixture.ts';
import { FROM, H, report } from '../support/verify-report-fixture.ts';

/** What a hostile file name or stored value carries: a retitle, a clipboard write, a bell, bidi. */
const HOSTILE = '\u001b]0;PWNED\u0007\u001b[2J\u009b31m\u202eevil';
const SHOWN = ']0;PWNED[2J31mevil';
/** A line break followed by text dressed as the command's own last line. */
const FAKE_LINE = '\n  OK';
// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters is the point
const CONTROLS = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('visibleLine', () => {
  it('drops controls and bidi overrides and puts a multi-line value on one line, indent kept', () => {
    expect(visibleLine(`a${HOSTILE}`)).toBe(`a${SHOWN}`);
    expect(visibleLine('  {\n  "reason": "x",\r\n\t"n": 1\n}')).toBe('  { "reason": "x", "n": 1 }');
    expect(visibleLine('line\u2028break')).toBe('line break');
  });
});

describe("verify's lines quote the lake without its controls", () => {
  it('file names, details, ids and integrity findings, each on its own line', () => {
    const text = describeReport(
      {
        ...report,
        foreignKeys: [`activity_log/instance=main/dt=2026-10-01/x${HOSTILE}.json`],
        foreignKeyCount: 1,
        unreadable: [{ key: `coverage/k${HOSTILE}`, detail: `bad JSON${FAKE_LINE}` }],
        unreadableCount: 1,
        duplicateIds: 1,
        duplicates: [{ eventId: `id${HOSTILE}`, windowStartMs: FROM + H }],
        manifestMismatches: [{ windowStartMs: FROM, detail: `says${FAKE_LINE}` }],
        integrity: {
          ...emptyIntegrityReport('main'),
          problems: [{ kind: 'changed', key: `digest/k${HOSTILE}`, detail: `{\n  "why": "x"\n}` }],
          ok: false,
        },
      } as typeof report,
      '/lake',
    );
    expect(text).not.toMatch(CONTROLS);
    expect(text).toContain(
      `  not an object of this lake: activity_log/instance=main/dt=2026-10-01/x${SHOWN}.json\n`,
    );
    expect(text).toContain(`  unreadable coverage/k${SHOWN}: bad JSON OK\n`);
    expect(text).toContain(`  duplicate id id${SHOWN} at`);
    expect(text).toContain(': says OK\n');
    expect(text).toContain(`  changed: digest/k${SHOWN}: { "why": "x" }\n`);
    // The only line that is just OK or PROBLEMS FOUND is the verdict.
    expect(text.split('\n').filter((line) => /^ *OK$/.test(line))).toEqual([]);
  });
});

describe("status's table and notes quote the lake without its controls", () => {
  const NOW = Date.UTC(2026, 10, 30, 10);
  const table = (instance: Partial<InstanceStatus>) =>
    statusTableOf([{ ...healthyInstance(NOW), ...instance }], NOW, {
      geoDatabase: { version: 'v', releasedAt: '2026-11-01', ageDays: 29 },
    });

  it('a stored failure reason, multi-line JSON included, as one line of the note', () => {
    const lastRun = {
      finished_at_ms: NOW - H,
      outcome: 'failed',
      events_written: 0,
      first_failure: `Domo answered 500: {\n  "error": "x${HOSTILE}"\n}${FAKE_LINE}`,
    } as unknown as InstanceStatus['lastRun'];
    const text = table({ lastRun });
    expect(text).not.toMatch(CONTROLS);
    expect(text).toContain(`main: last run failed: Domo answered 500: { "error": "x${SHOWN}" } OK\n`);
  });

  it("a marker's week and time (its file name, its JSON) in the table and the notes", () => {
    const week = `2026-W45${HOSTILE}`;
    const text = table({
      lastReport: { isoWeek: week, state: 'failed', updatedAt: `2026-11-09${HOSTILE}`, recipients: 1 },
      unsentReports: [{ isoWeek: week, state: 'sending', updatedAt: `2026-11-09T07:00${FAKE_LINE}` }],
    });
    expect(text).not.toMatch(CONTROLS);
    expect(text).toContain(`main: weekly report 2026-W45${SHOWN} may not have been sent`);
    expect(text).toContain('(marker sending since 2026-11-09 07:00 UTC:');
  });
});
