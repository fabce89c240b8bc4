import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import type { DigestSigner } from '../../../functions/core/lake/digest.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

// review R-COST LOW-4: the cost notes said three `Sign` calls per run that pulls an hour; the real
// handler made 4-5 (the new hour, its lookback and the later pull of the hour a day back). The
// KMS row's range is now checked against scheduled runs on the defaults.
const OPERATIONS = readFileSync(new URL('../../../docs/operations.md', import.meta.url), 'utf8');
const kmsRow = OPERATIONS.split('\n').find((line) => line.startsWith('| KMS ')) ?? '';
const documented = /(\d+)-(\d+) per run that pulls an hour/.exec(kmsRow);

const DAY0 = Date.parse('2026-11-18T00:00:00Z');
const MINUTE = 60_000;

describe("the cost notes' Sign calls per run (docs/operations.md, KMS)", () => {
  it('are what scheduled runs on the defaults make: the range for a pulling run, none for an idle one', async () => {
    expect(documented, kmsRow).not.toBeNull();
    const [low, high] = [Number(documented?.[1]), Number(documented?.[2])];
    // An event every 5 minutes from a day before the first run to the end of the runs.
    const source = new MemoryAuditSource(
      Array.from({ length: 12 * 31 }, (_, i) => viewEntry(DAY0 - 24 * HOUR_MS + i * 5 * MINUTE, i)),
    );
    const store = new MemoryObjectStore();
    let signs = 0;
    const digestSigner: DigestSigner = {
      keyId: 'arn:aws:kms:eu-west-1:123456789012:key/test',
      sign: async () => {
        signs++;
        return new Uint8Array([0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01]);
      },
    };
    const config = defaultIngestConfig('acme');
    const perRun: { at: string; signs: number }[] = [];
    // The schedule's runs, 15 minutes apart, from 00:07 (the first, a backfill) for 6 hours.
    for (let run = 0; run <= 24; run++) {
      const now = DAY0 + 7 * MINUTE + run * 15 * MINUTE;
      signs = 0;
      await runIngest({ ...quietIngestDeps(source, store, now), digestSigner }, config);
      if (run > 0) perRun.push({ at: new Date(now).toISOString().slice(11, 16), signs });
    }
    // A run pulls once an hour has settled (15 minutes): the run at :22.
    const pulling = perRun.filter((run) => run.at.endsWith(':22'));
    const idle = perRun.filter((run) => !run.at.endsWith(':22'));
    expect(pulling).toHaveLength(6);
    for (const run of pulling) {
      expect(run.signs, run.at).toBeGreaterThanOrEqual(low);
      expect(run.signs, run.at).toBeLessThanOrEqual(high);
    }
    expect(idle.map((run) => run.signs)).toEqual(idle.map(() => 0));
  });
});
