import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localPreviewFailure } from '../../functions/cli/commands/report.ts';
import { main } from '../../functions/cli/main.ts';
import { ReportPreviewError } from '../../functions/core/report/report-errors.ts';
import { sharedKnownLake } from '../report/known-lake.ts';
import { captureIo } from '../support/capture-io.ts';

// `report` on the week in progress (a preview) whose files cannot be written said the Lambda's
// "could not be mailed": the command mails nothing, it writes files, as for a full week.

let lake: string;
let dir: string;
beforeAll(async () => {
  lake = (await sharedKnownLake()).lakeDir;
  dir = await mkdtemp(join(tmpdir(), 'cli-report-preview-write-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("report's failed preview write, in the command's words", () => {
  it('says what was not written into --out, why, and to run it again', async () => {
    const out = join(dir, 'preview');
    await mkdir(join(out, 'report.html'), { recursive: true });
    const { io, stderr } = captureIo();
    // Friday of 2026-W47: the week is not over, so the report is a preview.
    const clocked = { ...io, clock: { now: () => Date.parse('2026-11-20T12:00:00Z') } };
    const args = ['report', '--lake', lake, '--instance', 'acme', '--week', '2026-W47', '--out', out];
    expect(await main(args, clocked)).toBe(1);
    const line = stderr().replaceAll(dir, '<dir>');
    expect(line).toMatch(
      /^error: the preview of the report 2026-W47 of acme \(a week not over yet: it ends [^)]+\) was not written into <dir>\/preview: writing report\.html, \.txt and \.eml failed \(EISDIR[^\n]*\); once that is fixed, run the command again\n$/,
    );
    expect(line).not.toMatch(/mail|resend|S3/);
  });

  it('words an error without a cause from the error itself', () => {
    const week = { instance: 'acme', isoWeek: '2026-W47' };
    const error = new ReportPreviewError('EIO', week, 'end', 'no', undefined, 'mail');
    expect(localPreviewFailure(error, '/out')).toBe(
      'the preview of the report 2026-W47 of acme (a week not over yet: it ends end) was not written into /out: writing report.html, .txt and .eml failed (EIO); once that is fixed, run the command again',
    );
  });

  // R6: a preview whose queries failed (a damaged lake) was told as a failed write into --out.
  it('says a preview that could not be made was not written, and why, without sending the user to --out', () => {
    const cause = new Error('IO Error: Input is not a GZIP stream');
    const week = { instance: 'acme', isoWeek: '2026-W47' };
    const error = new ReportPreviewError('x', week, 'end', 'no', { cause }, 'build');
    expect(localPreviewFailure(error, '/out')).toBe(
      'the preview of the report 2026-W47 of acme (a week not over yet: it ends end) could not be made, so nothing was written into /out: IO Error: Input is not a GZIP stream',
    );
  });
});
