/**
 * An enrich rewrites only the hours it is given: its digests say where they end (`to_ms`), so an
 * enrich that dies keeps open only those hours, and a forgery of a later hour is still `changed`
 * rather than excused as maybe its write.
 */
import { expect, it } from 'vitest';
import { compileCategoryRules } from '../../../functions/core/domo/category-rules.ts';
import { enrichLake } from '../../../functions/core/geo/enrich-lake.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { decodeDigest, listDigestKeys } from '../../../functions/core/lake/digest.ts';
import { activityKey, digestPrefix } from '../../../functions/core/lake/layout.ts';
import { verifyIntegrity } from '../../../functions/core/lake/verify-integrity.ts';
import type { ObjectStore } from '../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';
import {
  SIX_HOUR_LAKE_START as day0,
  forgeFirstRecord,
  SIX_HOUR_LAKE_NOW,
  sixHourConfig,
  sixHourLake,
  sixHourSource,
} from '../../support/six-hour-lake.ts';

it('a killed enrich of 00:00 excuses no forgery of 04:00', async () => {
  const lake = await sixHourLake();
  let digests = 0;
  // The enrich's opening digest lands; its sealed one never does (the laptop closes).
  const dying: ObjectStore = {
    location: lake.location,
    get: (key) => lake.get(key),
    list: (prefix) => lake.list(prefix),
    put: async (key, body, options) => {
      if (key.startsWith(digestPrefix('acme')) && ++digests > 1) throw new Error('laptop closed');
      return lake.put(key, body, options);
    },
  };
  await expect(
    enrichLake(
      { store: dying, geo: { version: 'geo@1', lookup: () => undefined } },
      {
        instance: 'acme',
        fromMs: day0,
        toMs: day0 + HOUR_MS,
        categorize: compileCategoryRules([{ category: 'login', actionType: '.' }]),
        nowIso: '2026-10-01T07:00:00.000Z',
      },
    ),
  ).rejects.toThrow(/laptop closed/);
  const keys = await listDigestKeys(lake, 'acme');
  const last = keys.at(-1) as string;
  const opening = decodeDigest(last, (await lake.get(last))?.body ?? new Uint8Array());
  expect(opening).toMatchObject({ sealed: false, from_ms: day0, to_ms: day0 + HOUR_MS });
  expect(opening.run_id).toMatch(/^enrich-/);

  // Later, someone rewrites 04:00 outside the ingest; the schedule runs on.
  const hour4 = activityKey('acme', day0 + 4 * HOUR_MS);
  forgeFirstRecord(lake, hour4);
  const domo = sixHourSource();
  for (const later of [1, 2]) {
    await runIngest(quietIngestDeps(domo, lake, SIX_HOUR_LAKE_NOW + later * HOUR_MS), sixHourConfig());
  }
  const report = await verifyIntegrity(lake, 'acme');
  expect(report.problems.map((p) => `${p.kind} ${p.key}`)).toEqual([`changed ${hour4}`]);
  expect(report.recordedOnRead.map((r) => r.key)).not.toContain(hour4);
});
