import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCommand } from '../../functions/cli/commands/demo.ts';
import { readerDirectory, readerPath } from '../../functions/cli/reader-path.ts';
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

describe('the reader directory npm names (INIT_CWD)', () => {
  const npm = { INIT_CWD: '/repo/docs', npm_package_json: '/repo/package.json' };
  it('is taken when npm run started this process in the package root', () => {
    expect(readerDirectory(npm, '/repo')).toBe('/repo/docs');
    expect(readerDirectory(npm, '/repo/')).toBe('/repo/docs');
  });

  it('is not taken anywhere else: the paths given are relative to the working directory there', () => {
    // A shell or script under an npm script that changed directory inherits INIT_CWD.
    expect(readerDirectory(npm, '/elsewhere')).toBeUndefined();
    expect(readerDirectory(npm, '/repo/docs/sub')).toBeUndefined();
    expect(readerDirectory({ INIT_CWD: '/repo/docs' }, '/repo')).toBeUndefined();
    expect(readerDirectory({ npm_package_json: '/repo/package.json' }, '/repo')).toBeUndefined();
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
    // As `npm run demo` from `dir`: npm runs it in the package root, this process's directory.
    const npm = { INIT_CWD: dir, npm_package_json: join(process.cwd(), 'package.json') };
    const { io, stdout } = captureIo(npm);
    const args = ['--lake', lake, '--out', out, '--days', '1', '--users', '1'];
    await demoCommand(args, { ...io, log: silentLog });
    expect(stdout().replace(/ \\\n +/g, ' ')).toMatch(/ report --lake \.\/lake --out out\/\d{4}-W\d\d /);
  });

  it('keeps them as given when INIT_CWD was inherited by a process outside the package root', async () => {
    const lake = relative(process.cwd(), join(dir, 'lake2'));
    const out = relative(process.cwd(), join(dir, 'out2'));
    // npm ran something in another package's root, which then ran the demo from here.
    const inherited = { INIT_CWD: dir, npm_package_json: join(dir, 'package.json') };
    const { io, stdout } = captureIo(inherited);
    const args = ['--lake', lake, '--out', out, '--days', '1', '--users', '1'];
    await demoCommand(args, { ...io, log: silentLog });
    const said = stdout().replace(/ \\\n +/g, ' ');
    expect(said).toContain(` report --lake ${lake} --out ${join(out, '')}`);
  });
});
