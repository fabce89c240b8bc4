import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../../functions/adapters/fs-store.ts';
import { statusCommand, statusHelp } from '../../../functions/cli/commands/status.ts';
import { QUARANTINE_MIN_ENTRIES } from '../../../functions/core/ingest/drift-signals.ts';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { recordLastRun } from '../../../functions/core/ingest/record-last-run.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { type ObjectStore, silentLog } from '../../../functions/core/ports.ts';
import { isMostlyQuarantined, readInstanceStatus } from '../../../functions/core/status/instance-status.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { captureIo } from '../../support/capture-io.ts';
import { MemoryAuditSource, type MemoryEntry, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

// An ingest that quarantines what Domo serves (a docTimeZone 5 hours off: every entry's time lies
// outside the hour it was asked for) succeeds, stays within its lag and writes nothing: status must
// not read it as ok (the R-M review's RM47).

const NOW = Date.UTC(2026, 10, 30, 10, 20);
const options = { nowMs: NOW, lagHours: 3, reportTimeZone: 'UTC' };

/** An entry Domo serves for the hour of `timeMs` whose time reads 5 hours later. */
const shifted = (timeMs: number, n: number): MemoryEntry => {
  const good = viewEntry(timeMs, n);
  return { timeMs, entry: { ...(good.entry as object), time: timeMs + 5 * HOUR_MS } };
};

/** A scheduled-path lake of one day: `good` entries and `bad` shifted ones, spread over it. */
async function lake(good: number, bad: number, store: ObjectStore = new MemoryObjectStore()) {
  const source = new MemoryAuditSource();
  const fromMs = NOW - 20 * HOUR_MS;
  for (let i = 0; i < good; i++) source.add(viewEntry(fromMs + ((i * 997) % (18 * HOUR_MS)), i));
  for (let i = 0; i < bad; i++) source.add(shifted(fromMs + ((i * 1009) % (18 * HOUR_MS)), i));
  const deps = quietIngestDeps(source, store, NOW);
  const summary = await runIngest(deps, { ...defaultIngestConfig('main'), backfillDays: 1 }, {});
  await recordLastRun(store, summary, NOW);
  return { store, summary };
}

describe('status of an instance whose entries are mostly quarantined', () => {
  it('flags a run that quarantined every entry, though it succeeded within its lag', async () => {
    const { store, summary } = await lake(0, 60);
    expect(summary.failures).toEqual([]);
    const status = await readInstanceStatus(store, 'main', options);
    expect(status).toMatchObject({ late: false, quarantined: 60, eventsStored: 0, mostlyQuarantined: true });
  });

  it('leaves alone a few hostile entries among many good ones, and a quiet week of a few odd ones', async () => {
    const few = await readInstanceStatus((await lake(200, 30)).store, 'main', options);
    expect(few).toMatchObject({ quarantined: 30, eventsStored: 200, mostlyQuarantined: false });
    const quiet = await readInstanceStatus(
      (await lake(0, QUARANTINE_MIN_ENTRIES - 1)).store,
      'main',
      options,
    );
    expect(quiet).toMatchObject({ quarantined: QUARANTINE_MIN_ENTRIES - 1, mostlyQuarantined: false });
  });

  it('is the alarm rule: at least 20 quarantined, and more than half of all the entries', () => {
    expect(isMostlyQuarantined(20, 19)).toBe(true);
    expect(isMostlyQuarantined(20, 20)).toBe(false);
    expect(isMostlyQuarantined(19, 0)).toBe(false);
    expect(isMostlyQuarantined(0, 0)).toBe(false);
  });

  it('marks the instance QUARANTINE, says what it means and where to read on, and exits 1', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'status-quarantine-'));
    try {
      await lake(0, 60, new FsObjectStore(dir));
      const { io, stdout } = captureIo();
      const result = await statusCommand(['--lake', dir], {
        ...io,
        log: silentLog,
        clock: { now: () => NOW },
      });
      expect(result.ok).toBe(false);
      expect(stdout()).toMatch(/\nmain +QUARANTINE +11-30 10:00 +20m +11-30 10:20 ok, 0 ev +\S+ +60 +/);
      expect(stdout()).toContain(
        'main: 60 entries of the last 7 days were quarantined, more than the 0 events stored in those days: the ingest sets most of what Domo serves aside instead of storing it (a wrong docTimeZone, or a time format Domo changed); they are kept, not lost. The main-Quarantine alarm fires from 5 % but weighs its last 3 to 24 hours of runs only, so it may have cleared already: see docs/operations.md, section "<instance>-Quarantine"',
      );
      expect(stdout()).not.toContain('every instance is within its lag threshold');
      // The help names the window too: the alarm can fire while status reads ok, and clear before it.
      expect(statusHelp.replace(/\s+/g, ' ')).toContain(
        "the Quarantine alarm's rule, but over 7 days: the alarm weighs only its last 3 to 24 hours of runs, so it fires sooner and clears sooner",
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
