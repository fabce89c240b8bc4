import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { main } from '../../functions/cli/main.ts';
import { GEO_LOOKUP_RULES } from '../../functions/core/geo/geo-db-version.ts';
import { activityKey } from '../../functions/core/lake/layout.ts';
import { decodeNdjsonGzip } from '../../functions/core/lake/ndjson.ts';
import { event, storeHour } from '../queries/support/lake-fixture.ts';
import { captureIo } from '../support/capture-io.ts';

/**
 * The last line of `enrich` counts the records it left as they were although they are not the
 * shipped database's answer: placed by a newer database (a run from a stale checkout), or placed
 * in a country the shipped database places nowhere.
 */
const HOUR = Date.parse('2026-10-01T10:00:00Z');
const RANGE = ['--from', '2026-10-01T10:00:00Z', '--to', '2026-10-01T11:00:00Z'];
const FUTURE = 'dbip-country@2.3.2099010100+asn@2.3.2099010100';

let dir: string;
let lake: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-enrich-kept-'));
  lake = join(dir, 'lake');
  const store = new FsObjectStore(lake);
  const placed = (ip: string, version: string) => ({
    ...event('2026-10-01 10:01:00', { ip_address: ip }),
    ip_country: 'FR',
    ip_asn: 3215,
    ip_org: 'Orange',
    geo_db_version: version,
  });
  // 8.8.8.8 by a database of 2099; 192.168.0.1 (private: placed nowhere) by an older one read by
  // the current lookup rules (a place older rules gave an address the current ones do not read is
  // taken away: enrich-lookup-rules.test.ts).
  const records = [
    placed('8.8.8.8', FUTURE),
    placed('192.168.0.1', `dbip-country@1+asn@1+rules@${GEO_LOOKUP_RULES}`),
  ];
  await storeHour(store, '2026-10-01 10:00', records);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('enrich, records left as they were', () => {
  it('counts them on its last line, and --force stores the shipped answer', async () => {
    const run = captureIo();
    expect(await main(['enrich', '--lake', lake, ...RANGE], run.io), run.stderr()).toBe(0);
    // Not "already up to date" (review R-GEO L5): its records are left, not this database's answer.
    expect(run.stdout()).toContain(
      ': of 1 hour(s), 0 rewritten (0 record(s) enriched), 0 already up to date, 1 with records left as they were, 0 without events; ',
    );
    expect(run.stdout()).toContain(
      '; 1 record(s) placed before kept their country: this database places them nowhere (is it damaged? if not, --force stores its answer; until then each enrich of these hours says so again); 1 record(s) placed by a geo database with newer data (in at least one of its sources) left as they were (--force places them with this one); geo database ',
    );
    const stored = async () =>
      (
        decodeNdjsonGzip(
          (await new FsObjectStore(lake).get(activityKey('default', HOUR)))?.body ?? new Uint8Array(),
        ) as { ip_country: string | null }[]
      ).map((r) => r.ip_country);
    expect(await stored()).toEqual(['FR', 'FR']);

    const forced = captureIo();
    expect(await main(['enrich', '--lake', lake, ...RANGE, '--force'], forced.io), forced.stderr()).toBe(0);
    expect(forced.stdout()).not.toContain('left as they were');
    expect(await stored()).toEqual(['US', null]);
  });
});
