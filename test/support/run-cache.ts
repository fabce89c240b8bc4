import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Answers a slow test check keeps between runs, in `root`'s node_modules/.cache (a clean clone,
 * as CI's, starts without them and computes every answer). The keys must name everything an
 * answer depends on: a stale answer is never checked again.
 */
export const runCacheFile = (root: string, name: string): string =>
  path.join(root, 'node_modules', '.cache', 'domo-activity-lake', name);

/** The answers earlier runs saved in `file`; none when it is missing or unreadable. */
export function readRunCache<T>(file: string): Map<string, T> {
  try {
    return new Map(Object.entries(JSON.parse(readFileSync(file, 'utf8')) as Record<string, T>));
  } catch {
    return new Map();
  }
}

/**
 * Saves `answers` for the next run: written whole and renamed into place, so a run beside this one
 * reads the old list or the new one. A node_modules that cannot be written (installed by another
 * user) leaves the next run to compute everything: the list only saves time, so failing to keep it
 * fails no check.
 */
export function writeRunCache(file: string, answers: ReadonlyMap<string, unknown>): void {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(temporary, JSON.stringify(Object.fromEntries(answers)));
    renameSync(temporary, file);
  } catch {
    rmSync(temporary, { force: true });
  }
}
