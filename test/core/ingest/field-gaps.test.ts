import { describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { normaliseWindow } from '../../../functions/core/ingest/normalise-window.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { readCoverage, readManifest } from '../../../functions/core/lake/coverage.ts';
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
    const served = [renamed(1), renamed(2), { ...renamed(1), time: hour + HOUR_MS + 60_000 }, documented(3)];
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
      entries_read: 3,
      missing_fields: { actionType: 2, eventText: 2 },
      unread_fields: { action: 2, description: 2 },
    });
    const quiet = await readCoverage(store, 'acme', hour + 2 * HOUR_MS);
    expect(quiet).toMatchObject({ entries_read: 0 });
    expect(quiet).not.toHaveProperty('missing_fields');
    expect(notes).toEqual([
      "Domo's entries of 2026-10-01 10:00 UTC lack actionType (2 of 3), eventText (2 of 3) and carry " +
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
