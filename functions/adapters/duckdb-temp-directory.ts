import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { procIdentity, signalReaches } from './process-identity.ts';

const PREFIX = 'domo-activity-lake-duckdb-';

/** The directories made and not yet removed by this process, for {@link removeAllAtExit}. */
const live = new Set<string>();

/**
 * The digits of this process's pid namespace (`pid:[4026531836]`), 0 where /proc has none: a
 * directory's pid is compared with the processes of its own namespace only.
 */
const namespaceDigits = (): string => /\d+/.exec(procIdentity.pidNamespace() ?? '')?.[0] ?? '0';

/**
 * A fresh directory of this process's own (mode 0700, under the system's temp directory, TMPDIR),
 * for DuckDB's `temp_directory`: where a query too large for memory spills. DuckDB adds its temp
 * directory to `allowed_directories`, so its default, `.tmp` in the current directory, let SQL
 * a user wrote read files there (`read_text('.tmp/s.txt')`) and left spills in the analyst's
 * directory (review R-SQLBOX M1). This one holds nothing but the engine's spills. Its name holds
 * the process's pid namespace and pid, so that the directories of processes that died before
 * removing theirs (a crash of DuckDB, a signal) are removed by the next one made.
 */
export function makeDuckDbTempDirectory(): string {
  const ns = namespaceDigits();
  sweepDeadDirectories(tmpdir(), ns);
  const dir = mkdtempSync(path.join(tmpdir(), `${PREFIX}${ns}-${process.pid}-`));
  if (live.size === 0) process.once('exit', removeAllAtExit);
  live.add(dir);
  return dir;
}

/** Removes a directory made by {@link makeDuckDbTempDirectory}, spills and all. */
export function removeDuckDbTempDirectory(dir: string): void {
  live.delete(dir);
  if (live.size === 0) process.removeListener('exit', removeAllAtExit);
  rmSync(dir, { recursive: true, force: true });
}

/**
 * At a process exit with engines still open (a `process.exit` on a failure path): their
 * directories go with it. A signal that kills the process, or a crash, runs no handler: those
 * are left to {@link sweepDeadDirectories}.
 */
function removeAllAtExit(): void {
  for (const dir of live) rmSync(dir, { recursive: true, force: true });
  live.clear();
}

/**
 * Removes the directories of this process's engines still open, now: for a process about to end
 * by a signal it sends itself (a second Ctrl-C), which runs no exit handler. A DuckDB thread
 * writing a spill meanwhile may keep one: that one is left to {@link sweepDeadDirectories}.
 */
export function removeDuckDbTempDirectoriesNow(): void {
  for (const dir of [...live]) {
    try {
      removeDuckDbTempDirectory(dir);
    } catch {
      // Left to the next engine's sweep, as the directory of a process killed outright.
    }
  }
}

/**
 * Removes, under `parent`, the temp directories of processes gone (review R-SQLBOX2 L1: an abort
 * in DuckDB, or Ctrl-C during a long query, left them, spills and all): those named with this pid
 * namespace, owned by this user, whose pid no process holds. One whose pid was since reused is
 * kept until that process is gone too; another user's or namespace's is never touched.
 */
function sweepDeadDirectories(parent: string, ns: string = namespaceDigits()): void {
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return;
  }
  const uid = process.getuid?.();
  for (const name of names) {
    const match = new RegExp(`^${PREFIX}(\\d+)-(\\d+)-`).exec(name);
    if (match?.[1] !== ns || signalReaches(Number(match[2]))) continue;
    const dir = path.join(parent, name);
    try {
      if (uid !== undefined && statSync(dir).uid !== uid) continue;
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // Gone meanwhile, or not ours to remove: the next sweep sees it again.
    }
  }
}
