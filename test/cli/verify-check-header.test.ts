import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { main } from '../../functions/cli/main.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { captureIo } from '../support/capture-io.ts';
import { ingestSixHours, SIX_HOURS_DAY0 } from '../support/six-hours-ingest.ts';

// Review F-EVID7 M4: a verify report is filed as it is, so it says when it was made, by what, of
// which lake, instance and hours, with the options (files by sha256) that shape its result.

const nowMs = SIX_HOURS_DAY0 + 5 * HOUR_MS + 30 * 60_000;
let dir: string;
let lake: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'verify-check-header-'));
  lake = join(dir, 'lake');
  await ingestSixHours(new FsObjectStore(lake));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

async function verify(...more: string[]) {
  const io = captureIo();
  const args = ['verify', '--lake', lake, '--instance', 'acme', '--integrity', ...more];
  const code = await main(args, { ...io.io, clock: { now: () => nowMs } });
  return { code, stdout: io.stdout() };
}

describe('the header of a verify report', () => {
  it('names the time, the version, the lake, the hours, the options with their files, and the result', async () => {
    const first = await verify('--json');
    expect(first.code).toBe(0);
    const report = JSON.parse(first.stdout);
    expect(Object.keys(report)[0]).toBe('check');
    expect(report.check).toEqual({
      checkedAt: new Date(nowMs).toISOString(),
      tool: expect.stringMatching(/^domo-activity-lake \d+\.\d+\.\d+/),
      lake,
      instance: 'acme',
      period: { from: new Date(report.fromMs).toISOString(), to: new Date(report.toMs).toISOString() },
      options: { integrity: true },
      result: 'OK',
      // What the text's verdict says in brackets, for a tool filing by the result (review F-SECOND3 L2).
      caveats: ['consistency only: the chain is unsigned and no noted head was given (--expect-head)'],
    });
    // The report as filed is still one --accept takes.
    const accepted = join(dir, 'accepted.json');
    await writeFile(accepted, first.stdout);
    const sha256 = createHash('sha256')
      .update(await readFile(accepted))
      .digest('hex');
    const head = `${report.integrity.head.key}=${report.integrity.head.sha256}`;
    const args = ['--accept', accepted, '--expect-head', head, '--from', '2026-10-01T02:00:00Z'];
    const second = JSON.parse((await verify(...args, '--json')).stdout);
    expect(second.check.options).toEqual({
      integrity: true,
      expectHeads: [head],
      accept: [{ path: accepted, sha256 }],
    });
    expect(second.check.period).toEqual({ from: '2026-10-01T02:00:00.000Z', to: '2026-10-01T05:00:00.000Z' });
    // A noted head vouches for the chain; the range still looked only for its days' objects.
    expect(second.check.result).toBe('OK');
    expect(second.check.caveats).toEqual([
      "the range's days only: 0 object(s) the chain lists for other days are not there, not looked for",
    ]);
    const text = await verify(...args);
    expect(text.code).toBe(0);
    const lines = text.stdout.split('\n');
    expect(lines[1]).toMatch(
      /^ {2}checked 2026-10-01T05:30:00\.000Z by domo-activity-lake \S+.*; period 2026-10-01T02:00:00\.000Z to 2026-10-01T05:00:00\.000Z \(UTC, end excluded\)$/,
    );
    expect(lines.at(-2)).toBe(`  OK (${second.check.caveats.join('; ')})`);
    expect(lines[2]).toBe(
      `  options: --integrity, --expect-head ${head}, --accept ${accepted} (sha256 ${sha256})`,
    );
  });

  it('names the share of the spared objects read again, --reread-turns, beside its file', async () => {
    // It picks which objects the routine check reads again, so a report filed without it did not
    // say what was checked (review R-SECOND5).
    const file = join(dir, 'turns.json');
    const json = JSON.parse((await verify('--known-versions', file, '--reread-turns', '3', '--json')).stdout);
    expect(json.check.options).toMatchObject({ knownVersions: { path: file }, rereadTurns: '3' });
    const text = (await verify('--known-versions', file, '--reread-turns', '3')).stdout.split('\n');
    expect(text[2]).toMatch(/^ {2}options: --integrity, --known-versions .*\), --reread-turns 3$/);
    // Not given, not named: the header lists the options as given.
    const plain = JSON.parse((await verify('--known-versions', file, '--json')).stdout);
    expect(plain.check.options).not.toHaveProperty('rereadTurns');
  });
});
