import { describe, expect, it } from 'vitest';
import { DigestRecorder } from '../../../functions/core/lake/digest-recorder.ts';
import { activityKey, HOUR_MS } from '../../../functions/core/lake/layout.ts';
import { verifyIntegrity } from '../../../functions/core/lake/verify-integrity.ts';
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
  await dying.put(itsHour, found?.body as Uint8Array, { ifMatch: found?.etag as string });

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
  return { report: await verifyIntegrity(store, 'acme'), forged };
}

describe('verify --integrity, of a version first seen while a run that never sealed was open', () => {
  it.each([
    // Enrich found the chain's head unsealed, so it read every hour from the dead run's first on.
    ['it read', false, 'read'],
    ['a write replaced', true, 'replaced'],
  ] as const)(
    'names that run when the hour is one it pulled, first seen as the version %s',
    async (_, onPut, as) => {
      const { report, forged } = await forgedWhileARunWasOpen(2, 4, onPut);
      expect(report.problems).toEqual([]);
      expect(report.recordedOnRead).toEqual([
        expect.objectContaining({
          key: forged,
          as,
          runId: expect.stringMatching(/^enrich-/),
          runs: ['dead-run'],
        }),
      ]);
    },
  );

  it('reports it changed when the hour is before the first one that run pulled', async () => {
    const { report, forged } = await forgedWhileARunWasOpen(4, 2);
    expect(report.problems.map((p) => `${p.kind} ${p.key}`)).toEqual([`changed ${forged}`]);
    expect(report.recordedOnRead).toEqual([]);
  });

  it('reports it changed when the hour is at or after the end of the hours that run pulled', async () => {
    // A range run over hours 1-2 (its digests say `to_ms`): hour 4 is not one it could write.
    const { report, forged } = await forgedWhileARunWasOpen(1, 4, false, 3);
    expect(report.problems.map((p) => `${p.kind} ${p.key}`)).toEqual([`changed ${forged}`]);
    expect(report.recordedOnRead).toEqual([]);
  });
});
