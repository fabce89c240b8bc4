import { mkdtemp, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { main } from '../../functions/cli/main.ts';
import { defaultIngestConfig } from '../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../functions/core/ingest/run-ingest.ts';
import { silentLog } from '../../functions/core/ports.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { captureIo } from '../support/capture-io.ts';
import { MemoryAuditSource, viewEntry } from '../support/memory-audit-source.ts';
import { noWaits } from '../support/no-waits.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');

/** Runs the ingest on the lake on disk at `lake` at `nowMs`. */
async function ingestAt(lake: string, nowMs: number) {
  const source = new MemoryAuditSource(
    Array.from({ length: 12 }, (_, i) => viewEntry(day0 + i * 30 * 60_000, i)),
  );
  const deps = {
    ...noWaits,
    source,
    store: new FsObjectStore(lake),
    clock: { now: () => nowMs },
    log: silentLog,
    metrics: { count() {} },
  };
  await runIngest(deps, { ...defaultIngestConfig('acme'), backfillDays: 1 });
}

/** `verify --integrity --json` of `lake`: its exit code and report. */
async function verifyJson(lake: string, ...options: string[]) {
  const io = captureIo();
  const code = await main(
    ['verify', '--lake', lake, '--instance', 'acme', '--integrity', '--json', ...options],
    io.io,
  );
  return { code, report: JSON.parse(io.stdout()), stderr: io.stderr() };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'verify-expect-head-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('verify --integrity --expect-head', () => {
  it('passes with the head a check printed, then fails once it was deleted and written again', async () => {
    const lake = join(dir, 'lake');
    await ingestAt(lake, day0 + 6 * HOUR_MS + 1);
    const { report } = await verifyJson(lake);
    const head = report.integrity.head as { key: string; sha256: string };
    // Both forms an operator has at hand: the head line's key and sha256, the JSON report's object.
    for (const noted of [`${head.key}=${head.sha256}`, JSON.stringify(head, null, 2)]) {
      const io = captureIo();
      const argv = ['verify', '--lake', lake, '--instance', 'acme', '--integrity', '--expect-head', noted];
      expect(await main(argv, io.io), io.stderr()).toBe(0);
      expect(io.stdout()).toContain(`noted head still on the chain: ${head.key}, sha256 ${head.sha256}`);
      // The head was given and held: the versions line points at it, not at the option again.
      expect(io.stdout()).toContain(
        'writes its number again; the noted head still on the chain (above) rules that out up to it',
      );
      expect(io.stdout()).not.toContain('check the head you noted with --expect-head');
    }

    await unlink(join(lake, ...head.key.split('/')));
    await ingestAt(lake, day0 + 7 * HOUR_MS + 1);
    // The chain alone is whole again: its next run took the number.
    expect((await verifyJson(lake)).code).toBe(0);
    const io = captureIo();
    const argv = [
      'verify',
      '--lake',
      lake,
      '--instance',
      'acme',
      '--integrity',
      '--expect-head',
      `${head.key}=${head.sha256}`,
    ];
    expect(await main(argv, io.io)).toBe(1);
    expect(io.stdout()).toContain(
      `noted-head: ${head.key}: noted as the chain's head with sha256 ${head.sha256}, it holds sha256`,
    );
    expect(io.stdout()).toContain('PROBLEMS FOUND');
    expect(io.stdout()).toContain('writes its number again; see the noted-head finding below');
  });

  it('refuses a value that is no noted head, and the option without --integrity (exit 2)', async () => {
    const lake = join(dir, 'refused');
    await ingestAt(lake, day0 + 6 * HOUR_MS + 1);
    const malformed = captureIo();
    const argv = [
      'verify',
      '--lake',
      lake,
      '--instance',
      'acme',
      '--integrity',
      '--expect-head',
      '32=d45834a2',
    ];
    expect(await main(argv, malformed.io)).toBe(2);
    expect(malformed.stderr()).toContain(
      '--expect-head: "32=d45834a2" is not a noted head: its sha256 "d45834a2" is not 64 hex digits. Give <digest>=<sha256>',
    );
    const alone = captureIo();
    expect(await main(['verify', '--lake', lake, '--expect-head', `32=${'0'.repeat(64)}`], alone.io)).toBe(2);
    expect(alone.stderr()).toContain(
      '--expect-head checks a noted head of the digest chain: use it with --integrity',
    );
  });
});
