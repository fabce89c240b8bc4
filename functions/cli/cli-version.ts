import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const NAME = 'domo-activity-lake';

/**
 * The project's version, from its package.json: looked up from this module's folder, which is
 * functions/cli in the sources and dist/ in the prebuilt bundle, so no build step has to stamp it.
 */
export function cliVersion(from: string = import.meta.dirname): string {
  return ownPackage(from)?.version ?? 'unknown';
}

/** The folder and version of the project's package.json at or above `from`. */
function ownPackage(from: string): { dir: string; version: string } | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: unknown;
        version?: unknown;
      };
      if (pkg.name === NAME && typeof pkg.version === 'string') return { dir, version: pkg.version };
    } catch {
      // No package.json here (or not readable): look in the folder above.
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/** Runs git in `dir`; its output, or undefined when git is missing or fails. */
function git(dir: string, args: readonly string[]): string | undefined {
  const run = spawnSync('git', ['-C', dir, ...args], { encoding: 'utf8', timeout: 5_000 });
  return run.status === 0 ? run.stdout.trim() : undefined;
}

/**
 * The commit of a checkout the CLI runs from, and whether its tracked files were changed since:
 * `commit 0123456789ab`, `commit 0123456789ab with local changes` (cdk.json's settings aside), or
 * undefined outside a git checkout. The version alone never changes between commits (0.1.0), and the rows handed over as
 * evidence are reproduced byte for byte only by the same code, so the handover names the commit.
 */
export function cliCommit(from: string = import.meta.dirname): string | undefined {
  const dir = ownPackage(from)?.dir;
  if (dir === undefined || !existsSync(join(dir, '.git'))) return undefined;
  const commit = git(dir, ['rev-parse', '--short=12', 'HEAD']);
  if (commit === undefined || !/^[0-9a-f]{12}$/.test(commit)) return undefined;
  // cdk.json is the operator's configuration, kept edited over every release (docs/upgrading.md):
  // counted, every deployed checkout would read as changed code and the line would tell nothing.
  const changed = git(dir, [
    'status',
    '--porcelain',
    '--untracked-files=no',
    '--',
    '.',
    ':(exclude)cdk.json',
  ]);
  return changed === '' ? `commit ${commit}` : `commit ${commit} with local changes`;
}

/** What `--version` prints: the version, and the checkout's commit when there is one. */
export function versionLine(from: string = import.meta.dirname): string {
  const commit = cliCommit(from);
  return `${NAME} ${cliVersion(from)}${commit === undefined ? '' : ` (${commit})`}`;
}
