import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

/** git's `check-attr` answer for `attribute` of each path, as `path: value`. */
const attr = (attribute: string, paths: string[]): string[] =>
  execFileSync('git', ['check-attr', attribute, '--', ...paths], { cwd: ROOT, encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.replace(`: ${attribute}: `, ': '));

// Review R-WINOPS L1: a Git for Windows checkout (core.autocrlf=true) turned every file CRLF:
// biome then failed on all of them, and synth's asset hashes differed from a Linux one.
describe('.gitattributes', () => {
  it('checks text out with LF on every platform', () => {
    expect(attr('eol', ['functions/cli/main.ts', 'queries/x.sql', 'README.md', '.ci/run'])).toEqual([
      'functions/cli/main.ts: lf',
      'queries/x.sql: lf',
      'README.md: lf',
      '.ci/run: lf',
    ]);
  });

  it('leaves binaries alone', () => {
    expect(attr('text', ['docs/report-screenshot.png', 'x.ndjson.gz'])).toEqual([
      'docs/report-screenshot.png: unset',
      'x.ndjson.gz: unset',
    ]);
  });
});
