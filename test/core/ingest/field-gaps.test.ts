import { describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { INGEST_METRICS } from '../../../functions/core/ingest/ingest-metrics.ts';
import { normaliseWindow } from '../../../functions/core/ingest/normalise-window.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { readCoverage, readManifest } from '../../../functions/core/lake/coverage.ts';
import { mostlyMissing } from '../../../functions/core/lake/field-gap-tally.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { normaliseContextFor } from '../../support/normalise-context.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';
import { documentedSignIn, renamedSignIn } from '../../support/renamed-sign-ins.ts';

const hour = Date.parse('2026-10-01T10:00:00Z');
const window = { startMs: hour, endMs: hour + HOUR_MS };
const documented = (minute: number) => documentedSignIn(hour, minute);
const renamed = (minute: number) => renamedSignIn(hour, minute);

describe('entries that lack documented fields (review R-DRIFT M1, L1)', () => {
  it('are counted per hour: the fields they lack and the keys no column reads', () => {
    const entries = [renamed(1), renamed(2), documented(3)].map((value) => ({
      value,
      text: JSON.stringify(value),
    }));
    const { fieldGaps, records } = normaliseWindow(entries, window, normaliseContextFor(window));
    expect(records).toHaveLength(3);
    expect(fieldGaps).toEqual({
      entries_read: 3,
      missing_fields: { actionType: 2, eventText: 2 },
      unread_fields: { action: 2, description: 2 },
    });
  });

  it('are recorded in the manifest and told once a run; a clean hour records none', async () => {
    const store = new MemoryObjectStore();
    const busy = Array.from({ length: 10 }, (_, i) => renamed(i + 1));
    const served = [...busy, { ...renamed(1), time: hour + HOUR_MS + 60_000 }, documented(30)];
    const notes: string[] = [];
    const summary = await runIngest(
      {
        ...quietIngestDeps(
          new MemoryAuditSource(served.map((entry) => ({ timeMs: entry.time, entry }))),
          store,
          hour + 30 * HOUR_MS,
        ),
        onShapeChange: (note) => notes.push(note),
      },
      { ...defaultIngestConfig('acme'), concurrency: 1 },
      { range: { fromMs: hour, toMs: hour + 3 * HOUR_MS } },
    );
    expect(summary.failures).toEqual([]);
    expect(await readCoverage(store, 'acme', hour)).toMatchObject({
      entries_read: 11,
      missing_fields: { actionType: 10, eventText: 10 },
      unread_fields: { action: 10, description: 10 },
    });
    const quiet = await readCoverage(store, 'acme', hour + 2 * HOUR_MS);
    expect(quiet).toMatchObject({ entries_read: 0 });
    expect(quiet).not.toHaveProperty('missing_fields');
    expect(notes).toEqual([
      "Domo's entries of 2026-10-01 10:00 UTC lack actionType (10 of 11), eventText (10 of 11) and carry " +
        'fields no column reads: action, description: its entry shape may have changed (fields renamed ' +
        'or nested), and the columns those fields fill are empty. Each hour counts them in its coverage manifest.',
    ]);
  });

  it('a manifest written before them still reads', () => {
    const older = {
      window_start_ms: hour,
      window_end_ms: hour + HOUR_MS,
      window_start: '2026-10-01 10:00:00.000',
      event_count: 1,
      quarantined_count: 0,
      out_of_window_count: 0,
      pages: 1,
      requests: 1,
      content_hash: 'x',
      fetch_count: 1,
      late_events: 0,
      late_events_total: 0,
      first_fetched_at: '2026-10-01T12:00:00.000Z',
      fetched_at: '2026-10-01T12:00:00.000Z',
      code_version: '0.1.0',
      run_id: 'r',
    };
    const read = readManifest(new TextEncoder().encode(`${JSON.stringify(older)}\n`), hour);
    expect(read).toEqual({ ok: true, manifest: older });
  });
});

/**
 * A run over `hours` hours from `fromMs` (10:00) of `served`: the notes it told and
 * ShapeChangedHours per hour. `store` carries the lake from one run to the next.
 */
async function ingestHours(
  served: { time: number }[],
  hours: number,
  fromMs = hour,
  store = new MemoryObjectStore(),
) {
  const notes: string[] = [];
  const shapeChanged: number[] = [];
  const summary = await runIngest(
    {
      ...quietIngestDeps(
        new MemoryAuditSource(served.map((entry) => ({ timeMs: entry.time, entry }))),
        store,
        hour + 30 * HOUR_MS,
      ),
      onShapeChange: (note) => notes.push(note),
      metrics: {
        count: (name, value) => {
          if (name === INGEST_METRICS.shapeChangedHours) shapeChanged.push(value);
        },
      },
    },
    { ...defaultIngestConfig('acme'), concurrency: 1 },
    { range: { fromMs, toMs: fromMs + hours * HOUR_MS } },
  );
  expect(summary.failures).toEqual([]);
  return { notes, shapeChanged };
}

/** A logout at `minute` past `hourMs`: Domo serves it without an object (domo-api-notes §2.4). */
const logout = (hourMs: number, minute: number) => {
  const { objectId: _none, ...rest } = documentedSignIn(hourMs, minute);
  return { ...rest, actionType: 'LOGGEDOUT', eventText: 'Logged out' };
};

describe('a shape change is judged on enough entries, not on a quiet hour', () => {
  it('a night hour of one logout without objectId is no shape change: no note, no alarm', async () => {
    const { notes, shapeChanged } = await ingestHours([logout(hour, 5)], 1);
    expect(notes).toEqual([]);
    expect(shapeChanged).toEqual([0]);
  });

  it('nor is a busy hour of logouts: objectId is not watched', async () => {
    const { notes, shapeChanged } = await ingestHours(
      Array.from({ length: 20 }, (_, i) => logout(hour, i)),
      1,
    );
    expect(notes).toEqual([]);
    expect(shapeChanged).toEqual([0]);
  });

  it('nor is a quiet hour whose few entries lack a watched field', async () => {
    const nameless = Array.from({ length: 9 }, (_, i) => {
      const { userName: _none, ...rest } = documented(i);
      return rest;
    });
    const { notes, shapeChanged } = await ingestHours(nameless, 1);
    expect(notes).toEqual([]);
    expect(shapeChanged).toEqual([0]);
  });

  it('a busy hour whose every entry lacks one is told, and counted, at once', async () => {
    const { notes, shapeChanged } = await ingestHours(
      Array.from({ length: 10 }, (_, i) => renamed(i)),
      1,
    );
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/^Domo's entries of 2026-10-01 10:00 UTC lack actionType \(10 of 10\)/);
    expect(shapeChanged).toEqual([1]);
  });

  it('a change begun on quiet hours is told once their entries, summed, are 10', async () => {
    // Four hours of three renamed sign-ins: 13:00 sums 12 entries with the run's hours before it.
    const served = [0, 1, 2, 3].flatMap((h) => [1, 2, 3].map((m) => renamedSignIn(hour + h * HOUR_MS, m)));
    const { notes, shapeChanged } = await ingestHours(served, 4);
    expect(shapeChanged).toEqual([0, 0, 0, 1]);
    expect(notes).toEqual([
      "Domo's entries of 4 quiet hours up to 2026-10-01 13:00 UTC lack actionType (12 of 12), eventText " +
        '(12 of 12) and carry fields no column reads: action, description: its entry shape may have changed ' +
        '(fields renamed or nested), and the columns those fields fill are empty. Each hour counts them in its coverage manifest.',
    ]);
  });

  it('a small instance, one run an hour, is told once its hours before hold 10 entries', async () => {
    // Two renamed sign-ins an hour, each hour pulled by a run of its own, as the schedule does.
    const served = Array.from({ length: 6 }, (_, h) =>
      [1, 2].map((m) => renamedSignIn(hour + h * HOUR_MS, m)),
    ).flat();
    const store = new MemoryObjectStore();
    const told: number[] = [];
    const notes: string[] = [];
    for (let h = 0; h < 6; h++) {
      const run = await ingestHours(served, 1, hour + h * HOUR_MS, store);
      told.push(...run.shapeChanged);
      notes.push(...run.notes);
    }
    expect(told).toEqual([0, 0, 0, 0, 1, 1]);
    expect(notes[0]).toMatch(
      /^Domo's entries of 5 quiet hours up to 2026-10-01 14:00 UTC lack actionType \(10 of 10\)/,
    );
  });

  it("a first run's quiet hours read no day of manifests each: the run's own are summed unread", async () => {
    const store = new MemoryObjectStore();
    const get = store.get.bind(store);
    let manifestReads = 0;
    store.get = (key) => {
      if (key.startsWith('coverage/')) manifestReads++;
      return get(key);
    };
    const served = Array.from({ length: 24 }, (_, h) => documentedSignIn(hour + h * HOUR_MS, 5));
    await ingestHours(served, 24, hour, store);
    // A few reads an hour (its own manifest, the hour before); a day back each read 577.
    expect(manifestReads).toBeLessThanOrEqual(72);
  });
});

describe('the rule on counts (lake/field-gap-tally.ts)', () => {
  it('needs 10 entries, and reads no field it no longer watches', () => {
    expect(mostlyMissing(9, { actionType: 9 })).toEqual([]);
    expect(mostlyMissing(10, { actionType: 6 })).toEqual([{ field: 'actionType', count: 6 }]);
    expect(mostlyMissing(10, { actionType: 5 })).toEqual([]);
    // Manifests written before counted objectId: a lake of logouts reads sound.
    expect(mostlyMissing(20, { objectId: 20 })).toEqual([]);
  });
});
