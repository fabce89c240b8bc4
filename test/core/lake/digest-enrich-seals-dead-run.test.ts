/**
 * An enrich that died after its last rewrite and before its seal leaves the chain open (verify
 * --integrity fails). Running the same enrich again finds every hour up to date and writes
 * nothing: it seals the chain all the same, as its advice on a force-quit promises.
 */
import { expect, it } from 'vitest';
import { compileCategoryRules } from '../../../functions/core/domo/category-rules.ts';
import { enrichLake } from '../../../functions/core/geo/enrich-lake.ts';
import { decodeDigest, listDigestKeys } from '../../../functions/core/lake/digest.ts';
import { digestPrefix } from '../../../functions/core/lake/layout.ts';
import { verifyIntegrity } from '../../../functions/core/lake/verify-integrity.ts';
import type { ObjectStore } from '../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { SIX_HOUR_LAKE_START as day0, sixHourLake } from '../../support/six-hour-lake.ts';

const geo = { version: 'geo@1', lookup: () => undefined };
const options = (nowIso: string) => ({
  instance: 'acme',
  fromMs: day0,
  toMs: day0 + 2 * HOUR_MS,
  categorize: compileCategoryRules([{ category: 'login', actionType: '.' }]),
  nowIso,
});

it('an enrich that finds nothing to write seals a chain an enrich that died left open', async () => {
  const lake = await sixHourLake();
  const dying: ObjectStore = {
    location: lake.location,
    get: (key) => lake.get(key),
    list: (prefix) => lake.list(prefix),
    put: async (key, body, putOptions) => {
      // Its digests before the seal (one lists each write before it is made) land; the seal does not.
      const seal = new TextDecoder().decode(body).includes('"sealed":true');
      if (key.startsWith(digestPrefix('acme')) && seal) throw new Error('killed before the seal');
      return lake.put(key, body, putOptions);
    },
  };
  await expect(enrichLake({ store: dying, geo }, options('2026-10-01T07:00:00.000Z'))).rejects.toThrow(
    /killed before the seal/,
  );
  const opened = await verifyIntegrity(lake, 'acme');
  expect(opened.unsealedHead).not.toBeNull();

  const again = await enrichLake({ store: lake, geo }, options('2026-10-01T08:00:00.000Z'));
  expect(again).toMatchObject({ hoursRewritten: 0, hoursUpToDate: 2 });
  const report = await verifyIntegrity(lake, 'acme');
  expect(report).toMatchObject({ ok: true, problems: [], unsealedHead: null });
  const keys = await listDigestKeys(lake, 'acme');
  const last = keys.at(-1) as string;
  expect(decodeDigest(last, (await lake.get(last))?.body ?? new Uint8Array())).toMatchObject({
    sealed: true,
    run_id: 'enrich-20261001T080000000Z',
  });

  // With the chain sealed, a run that writes nothing appends nothing.
  await enrichLake({ store: lake, geo }, options('2026-10-01T09:00:00.000Z'));
  expect(await listDigestKeys(lake, 'acme')).toEqual(keys);
});
