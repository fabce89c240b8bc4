import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { appendDigest, sha256Hex } from '../../functions/core/lake/digest.ts';
import { activityKey } from '../../functions/core/lake/layout.ts';
import { decodeNdjsonGzip, encodeNdjsonGzip } from '../../functions/core/lake/ndjson.ts';
import type { ObjectStore } from '../../functions/core/ports.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';

/**
 * Review R-VERIFY2's forgery on instance `acme` of a lake on disk: hour 1 after `day0` rewritten
 * in a column verify does not read again from `raw` (the first record's `ip_org`), and a sealed
 * digest appended after the head listing the rewrite as a re-pull's write over the version
 * stored. The chain alone passes it; only a noted head (or a key) tells. Returns the hour's key.
 */
export async function forgeHourOneAfterHead(lake: string, store: ObjectStore, day0: number): Promise<string> {
  const hour1 = activityKey('acme', day0 + HOUR_MS);
  const file = join(lake, ...hour1.split('/'));
  const old = await readFile(file);
  const records = decodeNdjsonGzip(old) as { ip_org?: string }[];
  const forged = encodeNdjsonGzip(records.map((r, i) => (i === 0 ? { ...r, ip_org: 'Mallory' } : r)));
  await writeFile(file, forged);
  await appendDigest(store, {
    instance: 'acme',
    runId: 'repull-forged',
    createdAt: '2026-10-01T08:00:00.000Z',
    objects: [
      {
        key: hour1,
        sha256: sha256Hex(forged),
        bytes: forged.length,
        records: records.length,
        how: 'write',
        replaced: sha256Hex(old),
      },
    ],
    sealed: true,
    fromMs: day0,
  });
  return hour1;
}
