import { describe, expect, it } from 'vitest';
import { describeReport } from '../../functions/cli/verify-report-text.ts';
import { advanceCheckpoint } from '../../functions/core/lake/checkpoint.ts';
import { verifyLake } from '../../functions/core/lake/verify-lake.ts';
import type { VerifyReport } from '../../functions/core/lake/verify-report.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { MemoryObjectStore } from '../support/memory-store.ts';
import { report } from '../support/verify-report-fixture.ts';

// Two first runs overlapped and the checkpoint keeps an hour below the watermark (retry_from_ms
// before the first hour of the watermark's run): the next ingest pulls the hours from there again,
// so verify no longer sends the person to a multi-day --from/--to re-pull of them (review R-SFC2).

const FROM = Date.parse('2026-10-01T00:00:00Z');
const h = (n: number) => FROM + n * HOUR_MS;

const withGaps = (heldFromMs: number | null, gapFrom: number): VerifyReport => ({
  ...report,
  windowsCovered: 38,
  gaps: [{ fromMs: h(gapFrom), toMs: h(gapFrom + 10) }],
  uncoveredBelowWatermark: 10,
  watermarkMs: h(48),
  heldFromMs,
});

describe('verify on hours the checkpoint keeps for the next ingest', () => {
  it('says the next ingest fills them, when every gap below the watermark is from the kept hour on', () => {
    const text = describeReport(withGaps(h(10), 12), '/lake').replace(/\s+/g, ' ');
    expect(text).toContain(
      '10 hour(s) below the watermark are not covered: the checkpoint keeps 2026-10-01 10:00Z (retry_from_ms) for the next ingest',
    );
    expect(text).toContain(
      'pulls every hour from there again once a new hour has closed and settled (settle minutes, 15 by default)',
    );
    expect(text).not.toContain('re-pull the gaps');
  });

  it('still says to re-pull a gap before the kept hour', () => {
    const text = describeReport(withGaps(h(20), 12), '/lake').replace(/\s+/g, ' ');
    expect(text).toContain('no scheduled run goes back for them; re-pull the gaps with ingest --from/--to');
  });

  it('reads the kept hour from the checkpoint', async () => {
    const store = new MemoryObjectStore();
    const advance = { runId: 'run-B', codeVersion: 'x', now: h(60) };
    await advanceCheckpoint(store, 'main', { ...advance, watermarkMs: h(48), planFromMs: h(24) });
    await advanceCheckpoint(store, 'main', {
      ...advance,
      runId: 'run-A',
      watermarkMs: h(10),
      planFromMs: h(0),
      settle: true,
    });
    expect((await verifyLake(store, 'main')).heldFromMs).toBe(h(10));
    const none = new MemoryObjectStore();
    await advanceCheckpoint(none, 'main', { ...advance, watermarkMs: h(48), planFromMs: h(40) });
    expect((await verifyLake(none, 'main')).heldFromMs).toBeNull();
  });
});
