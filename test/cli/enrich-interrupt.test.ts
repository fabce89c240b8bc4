import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import type { InterruptName, InterruptSource } from '../../functions/cli/interrupts.ts';
import { main } from '../../functions/cli/main.ts';
import { activityKey } from '../../functions/core/lake/layout.ts';
import { decodeNdjsonGzip } from '../../functions/core/lake/ndjson.ts';
import { event, storeHour, withoutGeoColumns } from '../queries/support/lake-fixture.ts';
import { captureIo } from '../support/capture-io.ts';

// Two hours written before the geo columns existed: 10:00 and 11:00.
const HOURS = [Date.parse('2026-10-01T10:00:00Z'), Date.parse('2026-10-01T11:00:00Z')];

let dir: string;
let lake: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-enrich-interrupt-'));
  lake = join(dir, 'lake');
  const store = new FsObjectStore(lake);
  for (const i of HOURS.keys()) {
    const at = `2026-10-01 1${i}:0`;
    await storeHour(store, `${at}0`, [withoutGeoColumns(event(`${at}1:00`, { ip_address: '8.8.8.8' }))]);
  }
});
afterAll(async () => {
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

const geoOf = async (hour: number) => {
  const stored = await new FsObjectStore(lake).get(activityKey('default', hour));
  return (decodeNdjsonGzip(stored?.body ?? new Uint8Array()) as Record<string, unknown>[])[0]?.ip_country;
};

describe('enrich interrupted (Ctrl-C)', () => {
  it('finishes the hour in hand, stops, says where to go on from, and exits 130', async () => {
    let listener: ((name: InterruptName) => void) | undefined;
    const interrupts: InterruptSource = {
      listen(on) {
        listener = on;
        return () => {
          listener = undefined;
        };
      },
      quit: () => {},
    };
    // The signal arrives while the first hour's object is written.
    const put = FsObjectStore.prototype.put;
    vi.spyOn(FsObjectStore.prototype, 'put').mockImplementation(async function (
      this: FsObjectStore,
      ...args
    ) {
      if (args[0] === activityKey('default', HOURS[0] ?? 0)) listener?.('SIGINT');
      return put.apply(this, args);
    });
    const { io, stdout, stderr } = captureIo();
    const range = ['--from', '2026-10-01T10:00:00Z', '--to', '2026-10-01T12:00:00Z'];
    expect(await main(['enrich', '--lake', lake, ...range], { ...io, interrupts })).toBe(130);
    vi.restoreAllMocks();
    expect(stderr()).toMatch(/^SIGINT: stopping after the hour in hand; the hours done are kept/);
    expect(stdout()).toMatch(/: of 1 hour\(s\), 1 rewritten \(1 record\(s\) enriched\)/);
    expect(stdout()).toMatch(
      /\ninterrupted: the hours from 2026-10-01T11:00:00Z on are left as they were; run enrich again with --from 2026-10-01T11:00:00Z to finish them\n$/,
    );
    expect([await geoOf(HOURS[0] ?? 0), await geoOf(HOURS[1] ?? 0)]).toEqual(['US', undefined]);
  });
});
