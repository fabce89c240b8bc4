import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { DEMO_MARKER } from '../../functions/cli/demo-lake.ts';
import { recordLastRun } from '../../functions/core/ingest/record-last-run.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import {
  TODAY_START as day0,
  TODAY_INGESTED_AT as ingestedAt,
  TODAY,
  todayLake,
  verifyAt,
} from '../support/verify-today-lake.ts';

// W-FIRST M2: on a lake an interrupted demo left, verify said the next ingest fills the hours not
// covered, but ingest refuses the demo's lake. verify judges the lake the demo's as ingest does, by
// its marker, and says to run the demo again.

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'verify-demo-lake-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

/**
 * A lake whose last run was `trigger`'s ('marker': none recorded, the demo's marker in the lake, as
 * a demo killed mid-ingest leaves it), verified at 11:20, when 10:00-11:00 has settled unpulled.
 */
async function verifiedGap(name: string, trigger?: 'demo' | 'marker' | 'demo-copy') {
  const lake = join(dir, name);
  const summary = await todayLake(lake);
  expect(summary.failures).toEqual([]);
  // The demo writes its marker before its first run; a copy of its lake may leave it out.
  if (trigger === 'marker' || trigger === 'demo') await writeFile(join(lake, DEMO_MARKER), '');
  if (trigger !== 'marker')
    await recordLastRun(
      new FsObjectStore(lake),
      summary,
      ingestedAt,
      trigger === undefined ? undefined : 'demo',
    );
  const r = await verifyAt(lake, day0 + 11 * HOUR_MS + 20 * 60_000, TODAY);
  expect(r.code).toBe(1);
  return r.stdout.replace(/\s+/g, ' ');
}

describe('verify on a lake with hours not covered past the watermark', () => {
  it('says to run the demo again when the demo built the lake, which ingest refuses', async () => {
    const said = await verifiedGap('demo', 'demo');
    expect(said).toContain(
      "1 hour(s) at or after the watermark are not covered (a run failed or stopped before them): this is the demo's lake, which ingest refuses: run the demo again to build it whole",
    );
    expect(said).not.toContain('next ingest');
  });

  it("says to run the demo again on a killed demo's lake: no run recorded, its marker there (R-LOOKA F3)", async () => {
    const said = await verifiedGap('killed-demo', 'marker');
    expect(said).toContain(
      "this is the demo's lake, which ingest refuses: run the demo again to build it whole",
    );
    expect(said).not.toContain('next ingest');
  });

  // Review ONCALL: a copy of the demo's lake, its marker left out, was still "the demo's lake,
  // which ingest refuses", though ingest takes it.
  it("says the next ingest fills them on a copy of the demo's lake without its marker", async () => {
    const said = await verifiedGap('demo-copy', 'demo-copy');
    expect(said).not.toContain("the demo's lake");
    expect(said).toContain(
      '1 hour(s) at or after the watermark are not covered (a run failed or stopped before them): the next ingest without --from/--to pulls every hour from the watermark on and fills them',
    );
  });

  it('says the next ingest fills them on any other lake', async () => {
    const said = await verifiedGap('ingested');
    expect(said).toContain(
      '1 hour(s) at or after the watermark are not covered (a run failed or stopped before them): the next ingest without --from/--to pulls every hour from the watermark on and fills them',
    );
  });
});
