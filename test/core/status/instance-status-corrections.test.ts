import { describe, expect, it } from 'vitest';
import { coverageKey, reportCorrectionKey, reportSentKey } from '../../../functions/core/lake/layout.ts';
import { reportWeek } from '../../../functions/core/report/iso-week.ts';
import { encodeMarker, type SentMarker } from '../../../functions/core/report/sent-marker.ts';
import { readInstanceStatus } from '../../../functions/core/status/instance-status.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';

// Monday 2026-11-30 10:20 UTC: 2026-W48 ended this midnight; runs look at W44 to W48.
const NOW = Date.UTC(2026, 10, 30, 10, 20);
const options = { nowMs: NOW, lagHours: 3, reportTimeZone: 'UTC' };

const marker = (isoWeek: string, fields: Partial<SentMarker>): SentMarker => ({
  state: 'sent',
  instance: 'main',
  isoWeek,
  attemptId: `a-${isoWeek}`,
  claimedAt: '2026-11-23T07:00:00.000Z',
  updatedAt: '2026-11-23T07:00:00.000Z',
  subject: 's',
  recipients: 1,
  ...fields,
});

/** A lake whose weeks the report mailed with hours missing, corrected or not. */
function lake() {
  const store = new MemoryObjectStore();
  const sent = (isoWeek: string, coveredHours: number) =>
    store.putNow(
      reportSentKey('main', isoWeek),
      encodeMarker(marker(isoWeek, { coveredHours, expectedHours: 168 })),
    );
  const correction = (isoWeek: string, fields: Partial<SentMarker>) =>
    store.putNow(reportCorrectionKey('main', isoWeek), encodeMarker(marker(isoWeek, fields)));
  const covered = (isoWeek: string, hours: number) => {
    const { startMs } = reportWeek(isoWeek, 'UTC');
    for (let h = 0; h < hours; h += 1)
      store.putNow(coverageKey('main', startMs + h * HOUR_MS), new Uint8Array());
  };
  const mailedPartial = { coveredHours: 150, expectedHours: 168 };
  // W48 mailed with 150 hours this morning; the lake has 160 now.
  sent('2026-W48', 150);
  covered('2026-W48', 160);
  // W47 mailed partial, and corrected with every hour.
  sent('2026-W47', 150);
  correction('2026-W47', {
    coveredHours: 168,
    expectedHours: 168,
    corrects: { mailedAt: '2026-11-23T07:00:00.000Z', ...mailedPartial },
    updatedAt: '2026-11-30T07:02:00.000Z',
  });
  // W46's correction: its run timed out between claim and outcome two days ago.
  sent('2026-W46', 150);
  correction('2026-W46', {
    state: 'sending',
    claimedAt: '2026-11-28T07:01:00.000Z',
    corrects: { mailedAt: '2026-11-16T07:00:00.000Z', ...mailedPartial },
  });
  // W45's correction was refused by the mail service; the lake holds no more than it mailed.
  sent('2026-W45', 150);
  correction('2026-W45', {
    state: 'failed',
    coveredHours: 160,
    expectedHours: 168,
    corrects: { mailedAt: '2026-11-09T07:00:00.000Z', ...mailedPartial },
  });
  // W44 mailed complete; W40, partial, is older than any run looks at.
  sent('2026-W44', 168);
  sent('2026-W40', 100);
  return store;
}

describe('status of the corrections of weeks mailed with hours missing', () => {
  it('lists the weeks awaiting one, those corrected, and the markers that block one, with the key', async () => {
    const status = await readInstanceStatus(lake(), 'main', options);
    expect(status.corrections).toEqual({
      awaiting: [
        { isoWeek: '2026-W45', mailedHours: 150, expectedHours: 168, heldHours: 0, refused: true },
        { isoWeek: '2026-W48', mailedHours: 150, expectedHours: 168, heldHours: 160, refused: false },
      ],
      sent: [
        { isoWeek: '2026-W47', coveredHours: 168, expectedHours: 168, sentAt: '2026-11-30T07:02:00.000Z' },
      ],
      stuck: [
        {
          isoWeek: '2026-W46',
          state: 'sending',
          since: '2026-11-28T07:01:00.000Z',
          address: 'memory://lake/reports/instance=main/2026-W46.correction.json',
        },
      ],
    });
  });

  it('reads no correction where the report never ran', async () => {
    const status = await readInstanceStatus(new MemoryObjectStore(), 'main', options);
    expect(status.corrections).toEqual({ awaiting: [], sent: [], stuck: [] });
  });
});
