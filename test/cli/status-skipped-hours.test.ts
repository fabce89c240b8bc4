import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { statusCommand } from '../../functions/cli/commands/status.ts';
import { verifyCommand } from '../../functions/cli/commands/verify.ts';
import { silentLog } from '../../functions/core/ports.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { captureIo } from '../support/capture-io.ts';
import { dirPerTest } from '../support/dir-per-test.ts';
import { ingestTwoDayBackfill, skipHoursAsDocumented } from '../support/two-day-backfill-lake.ts';

// Review STATUS4: an operator who skips hours on purpose (docs/operations.md: move the watermark on
// and repull_from_ms with it) was paged, DAMAGED and exit 1, for 7 days, for what they did. A note
// of the skip (state/instance=<i>/skipped-hours.json) now names those hours instead, exit 0.

let lake: string;
let watermarkMs: number;
let movedMs: number;
dirPerTest('status-skipped-', async (dir) => {
  lake = join(dir, 'lake');
  await ingestTwoDayBackfill(lake);
  // The skip as docs/operations.md says it: watermark and repull_from_ms moved on 5 hours.
  ({ watermarkMs, movedMs } = await skipHoursAsDocumented(lake, 5));
});

const noteAt = () => join(lake, 'state/instance=acme/skipped-hours.json');
/** The note of the skip: the 5 hours the watermark moved on, with the reason for them. */
const noteTheOutage = () =>
  writeFile(
    noteAt(),
    JSON.stringify({
      from: '2026-10-01T07:00:00Z',
      to: '2026-10-01T12:00:00Z',
      reason: 'Domo outage, INC-7',
      written_at: '2026-10-01T12:05:00Z',
    }),
  );

async function status() {
  const { io, stdout } = captureIo();
  const result = await statusCommand(['--lake', lake, '--format', 'table'], {
    ...io,
    log: silentLog,
    clock: { now: () => movedMs + 10 * 60_000 },
  });
  const [s] = result.instances;
  return { ok: result.ok, s, text: stdout().replace(/\s+/g, ' ') };
}

// The skipped hours but the lookback's two, which the next run pulls all the same.
const noRunGoesBack = () => [0, 1, 2].map((h) => watermarkMs + h * HOUR_MS);

describe('status on hours skipped on purpose', () => {
  it('without a note, pages for them: DAMAGED, exit 1', async () => {
    const { ok, s, text } = await status();
    expect(s?.hours?.uncovered).toEqual(noRunGoesBack());
    expect(ok).toBe(false);
    expect(text).toContain('DAMAGED');
  });

  it('with a note of the skip, names them with its reason and exits 0', async () => {
    await noteTheOutage();
    const { ok, s, text } = await status();
    expect(s?.hours?.uncovered).toEqual([]);
    expect(s?.hours?.skipped).toEqual({ hours: noRunGoesBack(), reasons: ['Domo outage, INC-7'] });
    expect(ok).toBe(true);
    expect(text).not.toContain('DAMAGED');
    expect(text).toContain(
      'acme: 3 hour(s) of the last 7 days below the watermark were skipped on purpose (Domo outage, INC-7), as state/instance=acme/skipped-hours.json says (2026-10-01 07:00Z, 2026-10-01 08:00Z, 2026-10-01 09:00Z): no scheduled run goes back for them',
    );
    expect(text).not.toContain('run verify for the gaps');
  });

  it('is said alike by verify, which still counts them as gaps', async () => {
    await noteTheOutage();
    const { io, stdout } = captureIo();
    const report = await verifyCommand(['--lake', lake], {
      ...io,
      log: silentLog,
      clock: { now: () => movedMs + 10 * 60_000 },
    });
    expect(report.ok).toBe(false);
    expect(report.skippedBelowWatermark).toEqual({ hourCount: 3, reasons: ['Domo outage, INC-7'] });
    expect(stdout().replace(/\s+/g, ' ')).toContain(
      '5 hour(s) below the watermark are not covered: 2 of them: the next run that follows the checkpoint pulls them again, storing them with a manifest; 3 skipped on purpose (Domo outage, INC-7), as state/instance=acme/skipped-hours.json says: no scheduled run goes back for them; none to re-pull',
    );
  });

  // Review STATUS5: a note wider than the loss (or left after the hours were re-pulled) would take
  // a later loss of the hours it names for the skip: both commands name the hours it names that
  // have a manifest now, and exit as they would without them.
  it('status and verify name the hours the note names that have a manifest now', async () => {
    await writeFile(
      noteAt(),
      JSON.stringify({ from: '2026-10-01T04:00:00Z', to: '2026-10-01T12:00:00Z', reason: 'outage' }),
    );
    const stale =
      'state/instance=acme/skipped-hours.json names 3 hour(s) that have a manifest now (from 2026-10-01 04:00Z to 2026-10-01 07:00Z): the skip is stale or wider than the hours lost';
    const { ok, s, text } = await status();
    expect(s?.hours?.skippedButCovered).toEqual({
      hourCount: 3,
      fromMs: watermarkMs - 3 * HOUR_MS,
      toMs: watermarkMs,
    });
    expect(s?.hours?.skipped?.hours).toEqual(noRunGoesBack());
    expect(ok).toBe(true);
    expect(text).toContain(`acme: ${stale}`);
    const v = captureIo();
    const report = await verifyCommand(['--lake', lake], {
      ...v.io,
      log: silentLog,
      clock: { now: () => movedMs + 10 * 60_000 },
    });
    expect(report.skippedButCovered).toEqual({
      hourCount: 3,
      fromMs: watermarkMs - 3 * HOUR_MS,
      toMs: watermarkMs,
    });
    expect(report.skippedBelowWatermark).toEqual({ hourCount: 3, reasons: ['outage'] });
    expect(v.stdout().replace(/\s+/g, ' ')).toContain(`  ${stale}`.replace(/\s+/g, ' '));
  });

  it('says nothing of a note that names only hours still missing', async () => {
    await writeFile(noteAt(), JSON.stringify({ from: '2026-10-01T07:00:00Z', to: '2026-10-01T12:00:00Z' }));
    const { s, text } = await status();
    expect(s?.hours?.skippedButCovered).toBeUndefined();
    expect(text).not.toContain('have a manifest now');
  });

  it('keeps hours outside the note DAMAGED', async () => {
    await writeFile(noteAt(), JSON.stringify([{ from: '2026-10-01T08:00:00Z', to: '2026-10-01T09:00:00Z' }]));
    const { ok, s } = await status();
    expect(s?.hours?.uncovered).toEqual([watermarkMs, watermarkMs + 2 * HOUR_MS]);
    expect(s?.hours?.skipped).toEqual({ hours: [watermarkMs + HOUR_MS], reasons: [] });
    expect(ok).toBe(false);
  });

  it('says a note it cannot read, and counts no hour skipped by it', async () => {
    await mkdir(join(lake, 'state/instance=acme'), { recursive: true });
    await writeFile(noteAt(), JSON.stringify({ from: '2026-10-01T12:00:00Z', to: '2026-10-01T07:00:00Z' }));
    const { ok, s, text } = await status();
    expect(s?.skippedNoteProblem).toBe('"from" must be before "to"');
    expect(s?.hours?.uncovered).toEqual(noRunGoesBack());
    expect(ok).toBe(false);
    expect(text).toContain(
      'acme: state/instance=acme/skipped-hours.json cannot be read ("from" must be before "to"): no hour counts as skipped on purpose',
    );
  });

  // Review STATUS6: a span had no end in time: written months ago, it took any later loss of an
  // hour it names for the skip. It is honoured only for the hours closed when it was written.
  describe('bounded by when the note was written', () => {
    const span = { from: '2026-10-01T07:00:00Z', to: '2026-10-01T12:00:00Z', reason: 'outage' };

    it('keeps the hours a span names after its written_at DAMAGED, and says why', async () => {
      await writeFile(noteAt(), JSON.stringify({ ...span, written_at: '2026-10-01T08:30:00Z' }));
      const { ok, s, text } = await status();
      expect(s?.hours?.skipped).toEqual({ hours: [watermarkMs], reasons: ['outage'] });
      expect(s?.hours?.uncovered).toEqual([watermarkMs + HOUR_MS, watermarkMs + 2 * HOUR_MS]);
      expect(s?.hours?.skippedAfterWritten).toEqual([watermarkMs + HOUR_MS, watermarkMs + 2 * HOUR_MS]);
      expect(ok).toBe(false);
      expect(text).toContain(
        'acme: 2 of the hours without a manifest (2026-10-01 08:00Z, 2026-10-01 09:00Z) lie in a span of state/instance=acme/skipped-hours.json but had not ended when it says it was written ("written_at"): lost since, so not the skip it records',
      );
      const v = captureIo();
      const report = await verifyCommand(['--lake', lake], {
        ...v.io,
        log: silentLog,
        clock: { now: () => movedMs + 10 * 60_000 },
      });
      expect(report.skippedBelowWatermark).toEqual({ hourCount: 1, reasons: ['outage'] });
      // Review STATUS7: verify lists them apart too, as status does.
      expect(report.skippedAfterWritten).toEqual({
        hourCount: 2,
        hours: [watermarkMs + HOUR_MS, watermarkMs + 2 * HOUR_MS],
      });
      expect(v.stdout().replace(/\s+/g, ' ')).toContain(
        '  2 of the hours without a manifest (2026-10-01 08:00Z, 2026-10-01 09:00Z) lie in a span of state/instance=acme/skipped-hours.json but had not ended when it says it was written ("written_at"): lost since, so not the skip it records'.replace(
          /\s+/g,
          ' ',
        ),
      );
    });

    it('does not name the hours a span names after its written_at as covered', async () => {
      await writeFile(
        noteAt(),
        JSON.stringify({ ...span, from: '2026-10-01T04:00:00Z', written_at: '2026-10-01T05:00:00Z' }),
      );
      const { s } = await status();
      expect(s?.hours?.skippedButCovered).toEqual({
        hourCount: 1,
        fromMs: watermarkMs - 3 * HOUR_MS,
        toMs: watermarkMs - 2 * HOUR_MS,
      });
    });

    it('refuses a written_at after now, and counts no hour skipped by it', async () => {
      await writeFile(noteAt(), JSON.stringify({ ...span, written_at: '2026-10-01T14:00:00Z' }));
      const { ok, s } = await status();
      expect(s?.skippedNoteProblem).toBe('"written_at" is after now');
      expect(s?.hours?.uncovered).toEqual(noRunGoesBack());
      expect(ok).toBe(false);
    });

    it('refuses a written_at before the span begins', async () => {
      await writeFile(noteAt(), JSON.stringify({ ...span, written_at: '2026-10-01T06:00:00Z' }));
      const { s } = await status();
      expect(s?.skippedNoteProblem).toBe(
        '"written_at" must be after "from": a skip is of hours already lost',
      );
    });

    // Review REVIEW85: a time without its zone was read in the reading machine's zone, so status
    // on two machines in other zones honoured the same note for other hours, and a written_at in
    // UTC without its Z was "after now" west of Greenwich.
    it.each([
      ['from', { from: '2026-10-01T07:00' }],
      ['to', { to: '2026-10-01 12:00:00' }],
      ['written_at', { written_at: '2026-10-01T12:05' }],
    ])('refuses a %s without its zone, and counts no hour skipped by it', async (_, times) => {
      await writeFile(noteAt(), JSON.stringify({ ...span, written_at: '2026-10-01T12:05:00Z', ...times }));
      const { ok, s } = await status();
      expect(s?.skippedNoteProblem).toBe(
        'a time with its zone, such as 2026-10-01T07:00Z (without one each machine reads it in its own zone)',
      );
      expect(s?.hours?.uncovered).toEqual(noRunGoesBack());
      expect(ok).toBe(false);
    });

    it('reads a day alone, and an offset, as the instants they name', async () => {
      await writeFile(
        noteAt(),
        JSON.stringify({
          ...span,
          from: '2026-10-01',
          to: '2026-10-01T14:00+02:00',
          written_at: '2026-10-01T12:05:00z',
        }),
      );
      const { ok, s } = await status();
      expect(s?.skippedNoteProblem).toBeNull();
      expect(s?.hours?.skipped?.hours).toEqual(noRunGoesBack());
      expect(ok).toBe(true);
    });

    it('honours a span that says no time, and asks for one', async () => {
      await writeFile(noteAt(), JSON.stringify([span]));
      const { ok, s, text } = await status();
      expect(s?.hours?.skipped?.hours).toEqual(noRunGoesBack());
      expect(s?.hours?.undatedSkipSpans).toBe(1);
      expect(ok).toBe(true);
      expect(text).toContain(
        'acme: 1 span(s) of state/instance=acme/skipped-hours.json do not say when they were written: any later loss of an hour they name is taken for the skip; add "written_at"',
      );
      await noteTheOutage();
      const dated = await status();
      expect(dated.s?.hours?.undatedSkipSpans).toBeUndefined();
      expect(dated.text).not.toContain('do not say when they were written');
    });
  });
});
