import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../functions/cli/main.ts';
import { replacedReportNote } from '../../functions/cli/replaced-report.ts';
import { sharedKnownLake } from '../report/known-lake.ts';
import { captureIo } from '../support/capture-io.ts';

// Review R-MULTI L6: reports of two instances written to one --out, the second's files replaced
// the first's without a word.
let dir: string;
let lake: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-report-replaced-'));
  lake = (await sharedKnownLake()).lakeDir;
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('a report written where another instance’s report is', () => {
  it('says it replaced that one, and how to keep both', async () => {
    const out = join(dir, 'out');
    await mkdir(out, { recursive: true });
    await writeFile(join(out, 'report.json'), JSON.stringify({ instance: 'acme-eu' }));
    const { io, stderr } = captureIo();
    const argv = ['report', '--lake', lake, '--out', out, '--instance', 'acme', '--week', '2026-W47'];
    expect(await main(argv, io), stderr()).toBe(0);
    expect(stderr()).toContain(
      `note: replaced the report of instance "acme-eu" in ${out} (report.html, .txt, .eml, .json; its archive under reports/instance=acme-eu/ stays): give each instance its own --out to keep both`,
    );
    expect(JSON.parse(await readFile(join(out, 'report.json'), 'utf8')).instance).toBe('acme');
  });

  it('says nothing of a report of the same instance, or of none', () => {
    expect(replacedReportNote('acme', 'acme', '/out')).toBeUndefined();
    expect(replacedReportNote(undefined, 'acme', '/out')).toBeUndefined();
  });
});
