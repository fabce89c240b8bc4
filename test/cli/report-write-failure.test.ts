import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { localWriteFailure } from '../../functions/cli/commands/report.ts';
import { main } from '../../functions/cli/main.ts';
import { ReportSendError } from '../../functions/core/report/report-errors.ts';
import { event, manifest, writeFixtureLake } from '../queries/support/lake-fixture.ts';
import { captureIo } from '../support/capture-io.ts';

// `report` failed to write its files in the report Lambda's words: "nothing was mailed", "S3 can
// store a put", "only a resend sends it", "a run for this week sends it". Every run of the command
// writes the week anew (review 40, item 4): it says what it could not write and to run it again.

let lake: string;
let dir: string;
/**
 * A lake of one hour of the week: the writes fail after the report is made, whatever it holds. The
 * shared known lake (a month of history) cost ~0.4 CPU-s a run against ~0.2 here, for 7 runs.
 */
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-report-write-'));
  lake = join(dir, 'lake');
  await writeFixtureLake(lake, {
    instance: 'acme',
    events: [event('2026-11-17 10:05:00.000')],
    coverage: [manifest('2026-11-17 10:00', { event_count: 1 })],
  });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** stderr of `report` into a new --out that `prepare` spoils first. */
async function failedReport(name: string, prepare: (out: string) => Promise<unknown>): Promise<string> {
  const out = join(dir, name);
  await mkdir(out);
  await prepare(out);
  const { io, stderr } = captureIo();
  const args = ['report', '--lake', lake, '--instance', 'acme', '--week', '2026-W47', '--out', out];
  expect(await main(args, io)).toBe(1);
  // Without the directory, whose random name could hold any word.
  return stderr().replaceAll(dir, '<dir>');
}

const LAMBDA_WORDS = /resend|mail|S3|a run for this week|sent/;
const AGAIN = 'once that is fixed, run the command again: each run writes the report anew\n';

describe("report's failed write, in the command's words", () => {
  it("names the week's marker when it cannot be written", async () => {
    const line = await failedReport('claim', (out) => writeFile(join(out, 'reports'), 'not a folder'));
    expect(line).toMatch(
      /^error: the report 2026-W47 of acme was not written into <dir>\/claim: writing the week's marker under reports\/ failed \(cannot create the directory <dir>\/claim\/reports\/instance=acme: <dir>\/claim\/reports is a file, not a directory;/,
    );
    expect(line.endsWith(AGAIN)).toBe(true);
    expect(line).not.toMatch(LAMBDA_WORDS);
  });

  it('names the archive when it cannot be written', async () => {
    const line = await failedReport('archive', (out) =>
      mkdir(join(out, 'reports', 'instance=acme', '2026-W47.html'), { recursive: true }),
    );
    // The store says what stands in the way, rather than a bare EISDIR. The archive reads what
    // it would overwrite first (to put it back should the mail be refused), so the folder is
    // found by that read.
    expect(line).toContain(
      ': archiving the report under reports/ failed (reports/instance=acme/2026-W47.html in the lake (<dir>/archive/reports/instance=acme/2026-W47.html) is a folder where the lake keeps that object: move it away (docs/guarantees.md §6))',
    );
    expect(line.endsWith(AGAIN)).toBe(true);
    expect(line).not.toMatch(LAMBDA_WORDS);
  });

  it('names the report files when they cannot be written', async () => {
    const line = await failedReport('files', (out) => mkdir(join(out, 'report.html')));
    expect(line).toMatch(/: writing report\.html, \.txt and \.eml failed \(EISDIR/);
    expect(line.endsWith(AGAIN)).toBe(true);
    expect(line).not.toMatch(LAMBDA_WORDS);
  });

  it('removes the --out it made when its first write fails (a full disk), as ingest its lake', async () => {
    const parent = join(dir, 'full-disk');
    const out = join(parent, 'out');
    // The marker's write as on a full disk: its folders made, then the file refused.
    const put = vi.spyOn(FsObjectStore.prototype, 'put').mockImplementation(async (key: string) => {
      await mkdir(dirname(join(out, key)), { recursive: true });
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    });
    try {
      const { io, stderr } = captureIo();
      const args = ['report', '--lake', lake, '--instance', 'acme', '--week', '2026-W47', '--out', out];
      expect(await main(args, io)).toBe(1);
      expect(stderr()).toContain("writing the week's marker under reports/ failed (ENOSPC");
      expect(put).toHaveBeenCalled();
      expect(existsSync(parent)).toBe(false);
    } finally {
      put.mockRestore();
    }
  });

  it.each([
    ['its own file', [] as string[], ['notes.txt'], undefined],
    ['a reports/ folder of its own', ['reports'], ['notes.txt', 'reports'], []],
    ['the instance folder already', ['reports/instance=acme'], ['notes.txt', 'reports'], ['instance=acme']],
  ])(
    'into an existing --out holding %s, removes only the folders its failed write made',
    async (_, had, left, inReports) => {
      const out = join(dir, `existing-${had.join('-').replaceAll('/', '-')}`);
      for (const folder of had) await mkdir(join(out, folder), { recursive: true });
      await mkdir(out, { recursive: true });
      await writeFile(join(out, 'notes.txt'), 'keep');
      // The marker's write as on a full disk: its folders made, then the file refused.
      const put = vi.spyOn(FsObjectStore.prototype, 'put').mockImplementation(async (key: string) => {
        await mkdir(dirname(join(out, key)), { recursive: true });
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      });
      try {
        const { io } = captureIo();
        const args = ['report', '--lake', lake, '--instance', 'acme', '--week', '2026-W47', '--out', out];
        expect(await main(args, io)).toBe(1);
        expect(put).toHaveBeenCalled();
        expect((await readdir(out)).sort()).toEqual(left);
        if (inReports !== undefined) expect(await readdir(join(out, 'reports'))).toEqual(inReports);
      } finally {
        put.mockRestore();
      }
    },
  );

  it('leaves a week another command took over to that one', () => {
    const week = { instance: 'acme', isoWeek: '2026-W47' };
    const error = (state: 'taken-over' | 'unread') =>
      new ReportSendError('the Lambda words', state, week, 'mail', { cause: new Error('EIO') });
    expect(localWriteFailure(error('taken-over'), '/out')).toBe(
      "the report 2026-W47 of acme was not written into /out: another report command writing into the same --out took the week over meanwhile; its files are the week's",
    );
    expect(localWriteFailure(error('unread'), '/out')).toBe(
      "the report 2026-W47 of acme was not written into /out: the week's marker under reports/ changed meanwhile and could not be read again (another report command writing into the same --out?); run this one again once no other is running",
    );
  });
});
