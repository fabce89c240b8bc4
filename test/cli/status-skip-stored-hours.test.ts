import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { statusCommand } from '../../functions/cli/commands/status.ts';
import { verifyCommand } from '../../functions/cli/commands/verify.ts';
import { coverageKey } from '../../functions/core/lake/layout.ts';
import { silentLog } from '../../functions/core/ports.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { captureIo } from '../support/capture-io.ts';
import { dirPerTest } from '../support/dir-per-test.ts';
import { ingestTwoDayBackfill, skipHoursAsDocumented } from '../support/two-day-backfill-lake.ts';

// Review STATUS7: a span's written_at bounds the hours it is honoured for by when they ended, not
// by which of them were missing: a note wider than the loss (written when 3 of its hours were
// missing) took a later deletion of an hour it names, stored and ended before the note, for the
// skip. An hour the digest chain lists a manifest of was stored: its loss is no skip.

let lake: string;
let watermarkMs: number;
let movedMs: number;
dirPerTest('status-skip-stored-', async (dir) => {
  lake = join(dir, 'lake');
  await ingestTwoDayBackfill(lake);
  // The skip as docs/operations.md says it: watermark and repull_from_ms moved on 5 hours.
  ({ watermarkMs, movedMs } = await skipHoursAsDocumented(lake, 5));
  // A note wider than the loss: it names 3 hours stored before it was written.
  await writeFile(
    join(lake, 'state/instance=acme/skipped-hours.json'),
    JSON.stringify({
      from: '2026-10-01T04:00:00Z',
      to: '2026-10-01T12:00:00Z',
      reason: 'outage',
      written_at: '2026-10-01T12:05:00Z',
    }),
  );
});

const clock = () => ({ now: () => movedMs + 10 * 60_000 });
// The hours never stored that no run goes back for (the lookback's two are pulled all the same).
const neverStored = () => [0, 1, 2].map((h) => watermarkMs + h * HOUR_MS);
/** The hour stored before the note was written, whose manifest is deleted after it. */
const deletedMs = () => watermarkMs - 2 * HOUR_MS;
const deleteItsManifest = () => rm(join(lake, coverageKey('acme', deletedMs())));

describe('a skip note over hours stored once', () => {
  it('status keeps an hour the chain says was stored DAMAGED, and says why', async () => {
    await deleteItsManifest();
    const { io, stdout } = captureIo();
    const result = await statusCommand(['--lake', lake, '--format', 'table'], {
      ...io,
      log: silentLog,
      clock: clock(),
    });
    const [s] = result.instances;
    expect(s?.hours?.uncovered).toEqual([deletedMs()]);
    expect(s?.hours?.skippedButStored).toEqual([deletedMs()]);
    expect(s?.hours?.skipped).toEqual({ hours: neverStored(), reasons: ['outage'] });
    expect(result.ok).toBe(false);
    const text = stdout().replace(/\s+/g, ' ');
    expect(text).toContain('DAMAGED');
    expect(text).toContain(
      'acme: 1 of the hours without a manifest (2026-10-01 05:00Z) lie in a span of state/instance=acme/skipped-hours.json but were stored once (the digest chain lists their manifest): lost since, by a deletion, so not the skip it records; verify --integrity names what is gone',
    );
  });

  it('verify counts it apart from the hours skipped, and names it', async () => {
    await deleteItsManifest();
    const { io, stdout } = captureIo();
    const report = await verifyCommand(['--lake', lake, '--json'], { ...io, log: silentLog, clock: clock() });
    expect(report.skippedBelowWatermark).toEqual({ hourCount: 3, reasons: ['outage'] });
    expect(report.skippedButStored).toEqual({ hourCount: 1, hours: [deletedMs()] });
    expect(JSON.parse(stdout()).skippedButStored).toEqual({ hourCount: 1, hours: [deletedMs()] });
    const text = captureIo();
    await verifyCommand(['--lake', lake], { ...text.io, log: silentLog, clock: clock() });
    expect(text.stdout().replace(/\s+/g, ' ')).toContain(
      '1 of the hours without a manifest (2026-10-01 05:00Z) lie in a span of state/instance=acme/skipped-hours.json but were stored once',
    );
  });

  it('takes the hours never stored for the skip, as before', async () => {
    const { io } = captureIo();
    const result = await statusCommand(['--lake', lake], { ...io, log: silentLog, clock: clock() });
    const [s] = result.instances;
    expect(s?.hours?.skippedButStored).toBeUndefined();
    expect(s?.hours?.skipped?.hours).toEqual(neverStored());
    expect(result.ok).toBe(true);
  });
});
