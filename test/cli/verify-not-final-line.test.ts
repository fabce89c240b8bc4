/**
 * verify's text says which covered hours are not final yet, apart from "hours covered", and the
 * check still passes: those hours are expected to gain late events (docs/guarantees.md §2).
 */
import { describe, expect, it } from 'vitest';
import { describeReport } from '../../functions/cli/verify-report-text.ts';
import type { VerifyReport } from '../../functions/core/lake/verify-report.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { report } from '../support/verify-report-fixture.ts';

const FROM = Date.parse('2026-10-01T00:00:00Z');
const h = (n: number) => FROM + n * HOUR_MS;

describe('verify: the hours not yet final', () => {
  it('names them, their span and when their last pull comes, and still says OK', () => {
    const r: VerifyReport = {
      ...report,
      windowsCovered: report.windowsExpected,
      gaps: [],
      uncoveredBelowWatermark: 0,
      ok: true,
      notFinal: { hourCount: 26, fromMs: h(22), toMs: h(48), finalAfterMs: h(72) },
    };
    const text = describeReport(r, '/lake').replace(/\s+/g, ' ');
    expect(text).toContain(
      'hours not yet final: 26 (2026-10-01 22:00Z .. 2026-10-03 00:00Z, final after 2026-10-04 00:00Z: scheduled runs pull them again until then',
    );
    expect(text).toContain('hours covered: 48 of 48');
    expect(text).toMatch(/\bOK\b/);
    expect(text).not.toContain('PROBLEMS');
  });

  it('has no such line when every hour is final', () => {
    expect(describeReport(report, '/lake')).not.toContain('not yet final');
  });
});
