import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../functions/core/lake/digest.ts';
import { activityKey } from '../../../functions/core/lake/layout.ts';
import { verifyIntegrity } from '../../../functions/core/lake/verify-integrity.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import {
  forgeFirstRecord,
  recategoriseAllAsLogins,
  SIX_HOUR_LAKE_START,
  sixHourLake,
} from '../../support/six-hour-lake.ts';

const day0 = SIX_HOUR_LAKE_START;

describe('verify --integrity, of a forged version a run read and then wrote over', () => {
  it('still reports it changed once the object holds the run’s bytes', async () => {
    const store = await sixHourLake();
    // Changed outside the ingest: a later hour than the first one enrich rewrites.
    const hour3 = activityKey('acme', day0 + 3 * HOUR_MS);
    const forged = forgeFirstRecord(store, hour3);
    expect((await verifyIntegrity(store, 'acme')).problems.map((p) => p.kind)).toEqual(['changed']);

    const summary = await recategoriseAllAsLogins(store);
    expect(summary.hoursRewritten).toBeGreaterThan(1);
    expect(sha256Hex(store.objects.get(hour3)?.body as Uint8Array)).not.toBe(sha256Hex(forged));

    const report = await verifyIntegrity(store, 'acme');
    expect(report.problems).toEqual([
      expect.objectContaining({ kind: 'changed', key: hour3, sha256: sha256Hex(forged) }),
    ]);
    // Listed as read by a digest before enrich's write over it (each write waits for a digest that
    // lists it as about to be written, and that digest lists the reads so far), or as replaced.
    expect(report.problems[0]?.detail).toMatch(
      /first recorded (when run enrich-\S+ read them|as the version run enrich-\S+ replaced)/,
    );
  });
});
