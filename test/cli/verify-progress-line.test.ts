import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { main } from '../../functions/cli/main.ts';
import { verifyProgressLine } from '../../functions/cli/verify-progress-line.ts';
import { captureIo } from '../support/capture-io.ts';
import { HOURLY_RUNS_START, hourlyRunsLake } from '../support/hourly-runs-lake.ts';

let dir: string;
let lake: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'verify-progress-'));
  lake = join(dir, 'lake');
  const store = new FsObjectStore(lake);
  for (const [key, object] of (await hourlyRunsLake(30)).objects) await store.put(key, object.body);
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

/** `captureIo` with stderr a terminal of `columns`. */
function onTerminal(columns: number) {
  const captured = atLakeEnd();
  Object.assign(captured.io.stderr, { isTTY: true, columns });
  return captured;
}

/** `captureIo` whose clock reads just after the lake's last run: the report says no lag. */
function atLakeEnd() {
  const captured = captureIo();
  const clock = { now: () => HOURLY_RUNS_START + 30 * 3_600_000 };
  return { ...captured, io: { ...captured.io, clock } };
}

describe('verify on a terminal', () => {
  it('shows the objects read on stderr, clears the line, and prints the same report', async () => {
    const argv = ['verify', '--lake', lake, '--instance', 'acme', '--integrity', '--json'];
    const piped = atLakeEnd();
    expect(await main(argv, piped.io), piped.stderr()).toBe(0);
    expect(piped.stderr()).toBe('');
    const terminal = onTerminal(100);
    expect(await main(argv, terminal.io), terminal.stderr()).toBe(0);
    const [first] = terminal.stderr().split('\x1b[K');
    expect(first).toMatch(/^\rverify acme: 0 of ~\d[\d,]* objects read, \d+ s$/);
    expect(terminal.stderr().endsWith('\r\x1b[K')).toBe(true);
    // But the time of each check, in its header.
    const untimed = (out: string) => out.replace(/"checkedAt": "[^"]+"/, '"checkedAt": "…"');
    expect(untimed(terminal.stdout())).toBe(untimed(piped.stdout()));
  });

  it('times its redraws by the monotonic clock, which a wall clock set back cannot stop', () => {
    const stream = Object.assign(new PassThrough(), { isTTY: true, columns: 80 });
    const written: string[] = [];
    stream.on('data', (chunk) => written.push(String(chunk)));
    // The default clock is the monotonic one: it alone moves here, a second between the reads.
    let monotonic = 0;
    const clock = vi.spyOn(performance, 'now').mockImplementation(() => monotonic);
    try {
      const line = verifyProgressLine('verify acme', stream as unknown as NodeJS.WriteStream);
      line.reads?.expect(10);
      line.reads?.done();
      monotonic += 1000;
      line.reads?.done();
    } finally {
      clock.mockRestore();
    }
    expect(written.filter((text) => text.includes('objects read'))).toHaveLength(2);
  });

  it('redraws at most five times a second, within the width', () => {
    const stream = Object.assign(new PassThrough(), { isTTY: true, columns: 45 });
    const written: string[] = [];
    stream.on('data', (chunk) => written.push(String(chunk)));
    let now = 0;
    const line = verifyProgressLine('verify acme', stream as unknown as NodeJS.WriteStream, () => now);
    line.reads?.expect(43_800);
    for (let read = 1; read <= 12_000; read++) {
      now += 1;
      line.reads?.done();
    }
    line.done();
    // At 0 ms, then every 200 ms of the 12 s, then the clearing.
    expect(written).toHaveLength(1 + 60 + 1);
    // `, 12 s` does not fit: the time is left out.
    expect(written.at(-2)).toBe('\rverify acme: 12,000 of ~43,800 objects read\x1b[K');
    expect(written.at(-1)).toBe('\r\x1b[K');
  });

  it('draws nothing once done, though reads still in flight count on (a failed verify)', async () => {
    const stream = Object.assign(new PassThrough(), { isTTY: true, columns: 100 });
    const written: string[] = [];
    stream.on('data', (chunk) => written.push(String(chunk)));
    let now = 0;
    const line = verifyProgressLine('verify acme', stream as unknown as NodeJS.WriteStream, () => now);
    line.reads?.expect(10);
    line.reads?.done();
    line.done();
    now += 1_000;
    line.reads?.done();
    await new Promise((resolve) => setImmediate(resolve));
    expect(written.at(-1)).toBe('\r\x1b[K');
    expect(written).toHaveLength(2);
  });
});
