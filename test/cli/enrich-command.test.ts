import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { main } from '../../functions/cli/main.ts';
import { writeCoverage } from '../../functions/core/lake/coverage.ts';
import { listDigestKeys } from '../../functions/core/lake/digest.ts';
import { activityKey } from '../../functions/core/lake/layout.ts';
import { decodeNdjsonGzip } from '../../functions/core/lake/ndjson.ts';
import { event, manifest, storeHour, withoutGeoColumns } from '../queries/support/lake-fixture.ts';
import { captureIo } from '../support/capture-io.ts';

/**
 * The `enrich` command as an operator runs it on a lake on disk: an hour written before the geo
 * columns existed gets them from the shipped database, and a second run leaves it alone. The lake
 * holds one instance, `default`, which the command picks without `--instance`. The range asked is
 * wider than the lake: 09:00 was pulled and had no events (a manifest, no object), 10:00 holds the
 * old records, 11:00 was never pulled.
 */
const HOUR = Date.parse('2026-10-01T10:00:00Z');
const RANGE = ['--from', '2026-10-01T09:00:00Z', '--to', '2026-10-01T12:00:00Z'];

let dir: string;
let lake: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-enrich-'));
  lake = join(dir, 'lake');
  const store = new FsObjectStore(lake);
  const records = [
    withoutGeoColumns(event('2026-10-01 10:01:00', { ip_address: '8.8.8.8' })),
    withoutGeoColumns(event('2026-10-01 10:02:00', { ip_address: '192.168.0.1' })),
  ];
  await storeHour(store, '2026-10-01 10:00', records);
  await writeCoverage(store, 'default', manifest('2026-10-01 09:00'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('enrich', () => {
  it('fills the geo columns of an hour written before them, then leaves it alone', async () => {
    const first = captureIo();
    expect(await main(['enrich', '--lake', lake, ...RANGE], first.io), first.stderr()).toBe(0);
    expect(first.stdout()).toMatch(
      /^enrich default at .+: of 3 hour\(s\), 1 rewritten \(2 record\(s\) enriched\), 0 already up to date, 1 without events, 1 outside the lake; geo database \S+\n$/,
    );
    const stored = await new FsObjectStore(lake).get(activityKey('default', HOUR));
    const records = decodeNdjsonGzip(stored?.body ?? new Uint8Array()) as Record<string, unknown>[];
    expect(records.map((r) => [r.ip_address, r.ip_country, r.ip_asn])).toEqual([
      ['8.8.8.8', 'US', 15169],
      ['192.168.0.1', null, null],
    ]);

    const again = captureIo();
    expect(await main(['enrich', '--lake', lake, ...RANGE], again.io), again.stderr()).toBe(0);
    expect(again.stdout()).toMatch(
      /^enrich default at .+: of 3 hour\(s\), 0 rewritten \(0 record\(s\) enriched\), 1 already up to date, 1 without events, 1 outside the lake; geo database \S+\n$/,
    );

    // A range inside the lake says nothing of hours outside it.
    const inside = captureIo();
    const hour = ['--from', '2026-10-01T10:00:00Z', '--to', '2026-10-01T11:00:00Z'];
    expect(await main(['enrich', '--lake', lake, ...hour], inside.io), inside.stderr()).toBe(0);
    expect(inside.stdout()).toMatch(
      /^enrich default at .+: of 1 hour\(s\), 0 rewritten \(0 record\(s\) enriched\), 1 already up to date, 0 without events; geo database \S+\n$/,
    );
  });

  it('with --force says how many addresses it looked up again, and a run that changed nothing adds no digest', async () => {
    const store = new FsObjectStore(lake);
    // The hour's manifest as ingest writes it for an hour it enriched itself: without a note of an
    // enrich. The records are up to date, so nothing is to be written, the manifest included.
    await writeCoverage(store, 'default', manifest('2026-10-01 10:00'));
    const digests = await listDigestKeys(store, 'default');
    for (const force of [[], ['--force']]) {
      const run = captureIo();
      expect(await main(['enrich', '--lake', lake, ...RANGE, ...force], run.io), run.stderr()).toBe(0);
      expect(run.stdout()).toMatch(
        force.length === 0
          ? /: of 3 hour\(s\), 0 rewritten \(0 record\(s\) enriched\), 1 already up to date, 1 without events, 1 outside the lake; geo database \S+\n$/
          : /: of 3 hour\(s\), 0 rewritten \(0 record\(s\) enriched\), 1 already up to date, 1 without events, 1 outside the lake; --force looked up the addresses of 2 record\(s\) again: none changed; geo database \S+\n$/,
      );
    }
    expect(await listDigestKeys(store, 'default')).toEqual(digests);
  });

  it('refuses a lake that is not there, or an instance it does not hold, naming what it holds (exit 1)', async () => {
    const missing = captureIo();
    expect(await main(['enrich', '--lake', join(dir, 'nowhere'), ...RANGE], missing.io)).toBe(1);
    expect(missing.stderr()).toMatch(/there is no lake at .*nowhere \(no such directory\)/);
    const other = captureIo();
    expect(await main(['enrich', '--lake', lake, '--instance', 'main', ...RANGE], other.io)).toBe(1);
    expect(other.stderr()).toMatch(
      /holds no instance "main"; it holds: default \(none is near "main": check the name, and --lake\)/,
    );
  });

  it('without its geo database changes nothing, and says why and the fix in command-line terms (exit 1)', async () => {
    const missing = join(dir, 'missing-ip-geo.bin');
    const before = await new FsObjectStore(lake).get(activityKey('default', HOUR));
    const { io, stderr } = captureIo({ GEO_DB_PATH: missing });
    expect(await main(['enrich', '--lake', lake, ...RANGE, '--force'], io)).toBe(1);
    expect(stderr()).toBe(
      `error: the geo database could not be loaded (cannot read the geo database ${missing} (ENOENT: no such file or directory, open '${missing}')), so nothing was changed; point GEO_DB_PATH (now ${missing}) at a readable geo database, or unset it to use the one built from the @ip-location-db packages, then run enrich again\n`,
    );
    expect((await new FsObjectStore(lake).get(activityKey('default', HOUR)))?.etag).toBe(before?.etag);
  });

  it('wraps its summary between words on a terminal, and leaves it whole when piped', async () => {
    const narrow = captureIo();
    Object.assign(narrow.io.stdout, { isTTY: true, columns: 40 });
    expect(await main(['enrich', '--lake', lake, ...RANGE], narrow.io), narrow.stderr()).toBe(0);
    const lines = narrow.stdout().trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(1);
    // A line wider than the terminal only for a word (the lake's path) that cannot be cut.
    for (const line of lines) expect(line.length <= 40 || !line.trim().includes(' '), line).toBe(true);
    expect(lines.slice(1).every((line) => line.startsWith('  '))).toBe(true);
    expect(lines.map((line) => line.trim()).join(' ')).toMatch(/^enrich default at .+: of 3 hour\(s\), /);
    const piped = captureIo();
    expect(await main(['enrich', '--lake', lake, ...RANGE], piped.io), piped.stderr()).toBe(0);
    expect(piped.stdout().trimEnd().split('\n')).toHaveLength(1);
  });

  it('needs a range of whole hours, and says so (exit 2)', async () => {
    const { io, stderr } = captureIo();
    expect(await main(['enrich', '--lake', lake], io)).toBe(2);
    expect(stderr()).toMatch(/enrich needs --from and --to \(whole UTC hours\)/);
    const one = captureIo();
    expect(await main(['enrich', '--lake', lake, '--from', '2026-10-01'], one.io)).toBe(2);
    expect(one.stderr()).toMatch(/enrich needs --from and --to \(whole UTC hours\)/);
  });

  it('refuses a --from whose hour has not ended, as verify does (exit 2)', async () => {
    const now = Date.parse('2026-12-05T22:35:00Z');
    const future = captureIo();
    const range = ['--from', '2027-01-01T00:00:00Z', '--to', '2027-01-02T00:00:00Z'];
    const io = { ...future.io, clock: { now: () => now } };
    expect(await main(['enrich', '--lake', lake, ...range], io)).toBe(2);
    expect(future.stderr()).toBe(
      'error: --from 2027-01-01T00:00:00.000Z has not begun: the newest hour that can be in the lake ends at 2026-12-05T22:00:00.000Z (an hour is ingested once it has ended), so no hour of the range can be in the lake: give a --from before 2026-12-05T22:00:00.000Z (see: enrich --help)\n',
    );
    expect(future.stdout()).toBe('');
    // The current hour has not ended either; the one before it has.
    const current = captureIo();
    const fromNow = ['--from', '2026-12-05T22:00:00Z', '--to', '2026-12-05T23:00:00Z'];
    expect(
      await main(['enrich', '--lake', lake, ...fromNow], { ...current.io, clock: { now: () => now } }),
    ).toBe(2);
    expect(current.stderr()).toMatch(/^error: --from 2026-12-05T22:00:00.000Z has not ended yet: /);
    const ended = captureIo();
    const fromEnded = ['--from', '2026-12-05T21:00:00Z', '--to', '2026-12-05T22:00:00Z'];
    expect(
      await main(['enrich', '--lake', lake, ...fromEnded], { ...ended.io, clock: { now: () => now } }),
    ).toBe(0);
  });
});
