import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCommand } from '../../functions/cli/commands/demo.ts';
import { readerPath } from '../../functions/cli/reader-path.ts';
import { silentLog } from '../../functions/core/ports.ts';
import { captureIo } from '../support/capture-io.ts';

describe("a path the demo prints, as the reader's directory reads it", () => {
  it('is re-rooted at the directory npm was run from (INIT_CWD) when that is not the checkout', () => {
    expect(readerPath('./lake', '/repo/docs', '/repo')).toBe('../lake');
    expect(readerPath('out/2026-W47', '/repo/docs/sub', '/repo')).toBe('../../out/2026-W47');
    expect(readerPath('docs/lake', '/repo/docs', '/repo')).toBe('./lake');
    expect(readerPath('.', '/repo/docs', '/repo')).toBe('..');
    expect(readerPath('./lake', '/elsewhere', '/repo')).toBe('../repo/lake');
  });

  it('stays as given when absolute, without INIT_CWD, or run where the reader is', () => {
    expect(readerPath('/tmp/lake', '/repo/docs', '/repo')).toBe('/tmp/lake');
    expect(readerPath('./lake', undefined, '/repo')).toBe('./lake');
    expect(readerPath('./lake', '', '/repo')).toBe('./lake');
    expect(readerPath('./lake', '/repo/', '/repo')).toBe('./lake');
  });
});

describe("the demo's Explore line, run by npm from another directory", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'demo-reader-dir-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('names the lake and the output as paths from where the reader is (INIT_CWD)', async () => {
    // Relative to this process's directory, as `npm run demo -- --lake …` passes them on.
    const lake = relative(process.cwd(), join(dir, 'lake'));
    const out = relative(process.cwd(), join(dir, 'out'));
    const { io, stdout } = captureIo({ INIT_CWD: dir });
    const args = ['--lake', lake, '--out', out, '--days', '1', '--users', '1'];
    await demoCommand(args, { ...io, log: silentLog });
    expect(stdout().replace(/ \\\n +/g, ' ')).toMatch(/ report --lake \.\/lake --out out\/\d{4}-W\d\d /);
  });
});
