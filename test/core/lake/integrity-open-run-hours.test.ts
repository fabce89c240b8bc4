import { describe, expect, it } from 'vitest';
import { DigestRecorder } from '../../../functions/core/lake/digest-recorder.ts';
import type { EventRecord } from '../../../functions/core/lake/event-record.ts';
import { activityKey } from '../../../functions/core/lake/layout.ts';
import { decodeNdjsonGzip, encodeNdjsonGzip } from '../../../functions/core/lake/ndjson.ts';
import { verifyIntegrity } from '../../../functions/core/lake/verify-integrity.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import {
  forgeFirstRecord,
  recategoriseAllAsLogins,
  SIX_HOUR_LAKE_NOW,
  SIX_HOUR_LAKE_START,
  sixHourLake,
} from '../../support/six-hour-lake.ts';

const day0 = SIX_HOUR_LAKE_START;
const now = SIX_HOUR_LAKE_NOW;

/**
 * A lake ingested whole, then a run that pulls from `fromHour` on, writes its first hour and dies
 * (its opening digest, unsealed, is its last). Then an hour is forged, and enrich reads it.
 */
async function forgedWhileARunWasOpen(
  fromHour: number,
  forgedHour: number,
  forgeOnFirstPut = false,
  toHour?: number,
) {
  const store = await sixHourLake();
  const dying = new DigestRecorder(store, { instance: 'acme', runId: 'dead-run', clock: { now: () => now } });
  dying.begin(day0 + fromHour * HOUR_MS, toHour === undefined ? undefined : day0 + toHour * HOUR_MS);
  const itsHour = activityKey('acme', day0 + fromHour * HOUR_MS);
  const found = await dying.get(itsHour);
  // Bytes of its own, put once a digest listed them as about to be written; then it dies.
  const records = decodeNdjsonGzip(found?.body as Uint8Array) as EventRecord[];
  const itsBytes = encodeNdjsonGzip(records.map((r, i) => (i === 0 ? { ...r, user_name: 'Late Name' } : r)));
  await dying.put(itsHour, itsBytes, { ifMatch: found?.etag as string });

  const forged = activityKey('acme', day0 + forgedHour * HOUR_MS);
  if (forgeOnFirstPut) {
    // After enrich read every hour and before it wrote over this one.
    store.beforePut = () => {
      store.beforePut = undefined;
      forgeFirstRecord(store, forged);
    };
  } else {
    forgeFirstRecord(store, forged);
  }
  await recategoriseAllAsLogins(store);
  return { report: await verifyIntegrity(store, 'acme'), forged, itsHour };
}

describe('verify --integrity, of a version first seen while a run that never sealed was open', () => {
  it.each([
    // Enrich found the chain's head unsealed, so it read every hour from the dead run's first on.
    ['it read', false],
    ['a write replaced', true],
  ] as const)(
    'names that run for the bytes it listed before writing them, first seen as the version %s',
    async (_, onPut) => {
      const { report, itsHour } = await forgedWhileARunWasOpen(2, 4, onPut);
      expect(report.recordedOnRead).toEqual([
        expect.objectContaining({
          key: itsHour,
          runId: expect.stringMatching(/^enrich-/),
          runs: ['dead-run'],
        }),
      ]);
    },
  );

  it.each([
    ['it read', false],
    ['a write replaced', true],
  ] as const)(
    'reports changed bytes in an hour that run pulled but never listed, first seen as the version %s',
    async (_, onPut) => {
      // A run killed in the middle vouched for every hour it pulled: a forgery there passed (H1).
      const { report, forged } = await forgedWhileARunWasOpen(2, 4, onPut);
      expect(report.ok).toBe(false);
      expect(report.problems).toEqual([
        expect.objectContaining({
          kind: 'changed',
          key: forged,
          detail: expect.stringMatching(/run dead-run, open then and never sealed, listed before each write/),
        }),
      ]);
    },
  );

  it('reports it changed when the hour is before the first one that run pulled', async () => {
    const { report, forged } = await forgedWhileARunWasOpen(4, 2);
    expect(report.problems.map((p) => `${p.kind} ${p.key}`)).toEqual([`changed ${forged}`]);
    expect(report.recordedOnRead.map((r) => r.key)).not.toContain(forged);
  });

  it('reports it changed when the hour is at or after the end of the hours that run pulled', async () => {
    // A range run over hours 1-2 (its digests say `to_ms`): hour 4 is not one it could write.
    const { report, forged } = await forgedWhileARunWasOpen(1, 4, false, 3);
    expect(report.problems.map((p) => `${p.kind} ${p.key}`)).toEqual([`changed ${forged}`]);
    expect(report.recordedOnRead.map((r) => r.key)).not.toContain(forged);
  });
});
