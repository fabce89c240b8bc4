import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { main } from '../../functions/cli/main.ts';
import { advanceCheckpoint } from '../../functions/core/lake/checkpoint.ts';
import { activityKey } from '../../functions/core/lake/layout.ts';
import { encodeNdjsonGzip } from '../../functions/core/lake/ndjson.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { record } from '../core/alerts/support/alert-fixtures.ts';
import { NOW, sharedKnownLake } from '../report/known-lake.ts';
import { captureIo } from '../support/capture-io.ts';

// query, report and alerts print nothing until their work is done, which on a big lake takes
// minutes: on a terminal they show what they are doing on stderr, and clear it before they print.

let dir: string;
let lake: string;
let alertsLake: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'working-line-'));
  lake = (await sharedKnownLake()).lakeDir;
  // The known lake has no ingest checkpoint, which alerts need: an hour with a lockout, and one.
  alertsLake = join(dir, 'alerts-lake');
  const store = new FsObjectStore(alertsLake);
  const hour = Date.parse('2026-11-20T10:00:00Z');
  const lockout = record({ category: 'lockout', event_time_ms: hour + 60_000 });
  await store.put(activityKey('acme', hour), encodeNdjsonGzip([lockout]));
  await advanceCheckpoint(store, 'acme', {
    watermarkMs: hour + HOUR_MS,
    runId: 'fixture',
    codeVersion: 'test',
    now: NOW,
  });
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

/** Runs the command line with stderr a terminal (or not), the clock at the known lake's now. */
async function run(argv: string[], terminal: boolean) {
  const captured = captureIo();
  if (terminal) Object.assign(captured.io.stderr, { isTTY: true, columns: 200 });
  const code = await main(argv, { ...captured.io, clock: { now: () => NOW } });
  return { code, stdout: captured.stdout(), stderr: captured.stderr() };
}

describe('a working line on a terminal', () => {
  it.each([
    [
      'query',
      [
        'query',
        'most_active_users',
        '--lake',
        'LAKE',
        '--instance',
        'acme',
        '--from',
        '2026-11-16',
        '--to',
        '2026-11-23',
      ],
      'query most_active_users: running on ',
    ],
    ['query --sql', ['query', '--sql', 'SELECT 1 AS one', '--lake', 'LAKE'], 'query: running your SQL on '],
    [
      // On the lake of one hour: the line is the command's, whatever the lake holds, and the known
      // lake's report cost ~2 CPU-s a run, twice.
      'report',
      ['report', '--lake', 'ALERTS_LAKE', '--instance', 'acme', '--out', 'OUT'],
      "report acme: running the week's queries and writing the report",
    ],
    [
      'alerts',
      ['alerts', '--lake', 'ALERTS_LAKE', '--instance', 'acme', '--out', 'OUT'],
      "alerts acme: reading the lake's hours",
    ],
  ])(
    '%s: shows it on stderr, clears it, and prints what it prints without one',
    async (name, template, shown) => {
      const argv = (out: string) =>
        template.map((word) =>
          word === 'LAKE' ? lake : word === 'ALERTS_LAKE' ? alertsLake : word === 'OUT' ? out : word,
        );
      const piped = await run(argv(join(dir, `${name}-piped`)), false);
      expect(piped.code, piped.stderr).toBe(0);
      // Piped, no working line: at most the notes printed after the rows (the known lake's week has
      // a gap, which query notes), and the same after the cleared line on a terminal.
      const notes = piped.stderr;
      expect(notes).toMatch(/^(note: [^\n]*\n)*$/);
      const terminal = await run(argv(join(dir, `${name}-terminal`)), true);
      expect(terminal.code, terminal.stderr).toBe(0);
      expect(terminal.stderr.startsWith(`\r${shown}`), terminal.stderr).toBe(true);
      expect(terminal.stderr.endsWith(`\r\x1b[K${notes}`), terminal.stderr).toBe(true);
      // The output is the same, folders and timings aside.
      const same = (text: string) =>
        text.replaceAll('-terminal', '-piped').replace(/ in \d+ ms/g, ' in N ms');
      expect(same(terminal.stdout)).toBe(same(piped.stdout));
    },
  );

  it('clears the line before a failure is printed', async () => {
    const failed = await run(['query', '--sql', 'SELECT * FROM no_such_table', '--lake', lake], true);
    expect(failed.code).toBe(1);
    expect(failed.stderr.startsWith('\rquery: running your SQL on '), failed.stderr).toBe(true);
    expect(failed.stderr).toContain('\r\x1b[Kerror: ');
  });
});
