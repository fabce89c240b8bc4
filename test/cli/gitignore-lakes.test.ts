import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { freshLakeName } from '../../functions/cli/commands/simulate.ts';

const root = path.resolve(import.meta.dirname, '../..');
const git = (...args: string[]): string => execFileSync('git', args, { cwd: root, encoding: 'utf8' });

/** Whether git would ignore `dir` at the checkout's root, whatever the index holds. */
const ignored = (dir: string): boolean => {
  try {
    git('check-ignore', '-q', '--no-index', `${dir}/activity_log/x.jsonl.gz`);
    return true;
  } catch {
    return false;
  }
};

// Lakes hold real Domo activity (people's names and addresses): whatever directory the README or
// a hint of the CLI suggests for one in the checkout must never be committed by a `git add .`.
describe('.gitignore and the lakes the tool suggests', () => {
  it("ignores every lake name the README and the CLI's hints suggest", () => {
    // What `simulate` suggests with none, one and two of its earlier lakes in the directory.
    const earlier = ['./sim-lake', './sim-lake-2'];
    const simulated = [0, 1, 2].map((n) => freshLakeName((name) => earlier.slice(0, n).includes(name)));
    expect(simulated).toEqual(['./sim-lake', './sim-lake-2', './sim-lake-3']);
    const names = ['./lake', ...simulated, './domo-lake', './domo-lake-2', './lake-prod', './my-lake'];
    expect(names.filter((name) => !ignored(name))).toEqual([]);
  });

  it("ignores every file the evidence hand-over's steps write (docs/operations.md)", () => {
    const docs = readFileSync(path.join(root, 'docs/operations.md'), 'utf8');
    const start = docs.indexOf('## Handing over evidence');
    const section = docs.slice(start, docs.indexOf('\n## ', start + 1));
    const blocks = [...section.matchAll(/```bash\n([\s\S]*?)```/g)].map((m) => m[1] ?? '').join('\n');
    // Where the steps write: each redirect's file, each folder they make (its loop's first table).
    const written = [
      ...[...blocks.matchAll(/(?:^|[^|])> (\S+)/gm)].map((m) => m[1] ?? ''),
      ...[...blocks.matchAll(/mkdir -p (\S+)/g)].map((m) => `${m[1] ?? ''}/x.jsonl.gz`),
    ].map((file) => file.replaceAll('$t', 'activity_log'));
    expect(written.length).toBeGreaterThanOrEqual(4);
    const tracked = (file: string): boolean => {
      try {
        git('check-ignore', '-q', '--no-index', file);
        return false;
      } catch {
        return true;
      }
    };
    expect(written.filter(tracked)).toEqual([]);
    // The backstop: the same files where the procedure used to put them, at the top.
    expect(['rows.json', 'rows.csv', 'rows.sha256', 'evidence/lake/digest/x.json'].filter(tracked)).toEqual(
      [],
    );
  });

  it('ignores out/ and no tracked file', () => {
    expect(ignored('./out')).toBe(true);
    expect(git('ls-files', '-i', '-c', '--exclude-standard')).toBe('');
  });
});
