import { describe, expect, it } from 'vitest';
import { retentionWarning } from '../../functions/cli/commands/ingest.ts';
import { DAY_MS, HOUR_MS } from '../../functions/core/time-units.ts';

const NOW = Date.UTC(2026, 10, 30, 10);
const KEPT_FROM = NOW - 365 * DAY_MS;

describe('the retention warning of a range ingest', () => {
  it('stays silent for a range that starts exactly where Domo still keeps activity', () => {
    expect(retentionWarning({ fromMs: KEPT_FROM, toMs: KEPT_FROM + 24 * HOUR_MS }, NOW)).toBeUndefined();
  });

  it('counts only the hours before the retention edge as likely empty', () => {
    const warning = retentionWarning({ fromMs: KEPT_FROM - 2 * HOUR_MS, toMs: KEPT_FROM + 8 * HOUR_MS }, NOW);
    expect(warning).toContain(': 2 of the 10 planned hours will most likely come back empty');
  });
});
