import { fstatSync, type Stats, statSync } from 'node:fs';
import { DEFAULT_LAKE } from '../adapters/lake-location.ts';
import { assertWritable } from './atomic-file.ts';
import { shellWord } from './command-line.ts';
import type { EngineValues } from './engine-target.ts';
import { parseLakeOption } from './lake-target.ts';
import { realPath, within } from './out-outside-lake.ts';
import { UsageError } from './usage-error.ts';

/**
 * `query --out <file>`: the rows go to a file the command writes itself, not to a shell redirect,
 * so the provenance can name the file beside its hash (review F-RESPOND2 1), and a command killed
 * midway leaves no half file (atomic-file.ts).
 */

const FLAG = '--out';
const EXAMPLE = 'out/rows.csv';

/** The file's status, or undefined when nothing is there. */
function statOf(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/**
 * `--out`'s file, checked before any lake or engine is opened: not stdout, not in the lake read
 * (query only reads it), not a directory, and not a file already there unless `--force` (rows
 * handed over as evidence are not replaced by a rerun unasked).
 */
export function outOption(values: EngineValues & { out?: string; force?: boolean }): string | undefined {
  const path = values.out;
  if (path === undefined) {
    if (values.force === true)
      throw new UsageError(`--force replaces an existing ${FLAG} file: give ${FLAG} too`);
    return undefined;
  }
  if (path.trim() === '') throw new UsageError(`${FLAG} is empty: give the file to write, e.g. ${EXAMPLE}`);
  if (path === '-') throw new UsageError(`${FLAG} - : the rows go to stdout without ${FLAG}: leave it out`);
  const lake = values.athena ? undefined : parseLakeOption(values.lake ?? DEFAULT_LAKE);
  if (lake?.spec.kind === 'fs' && within(realPath(path), realPath(lake.spec.dir))) {
    throw new UsageError(
      `${FLAG} ${shellWord(path)} is inside the lake (--lake ${lake.value}), which query only reads: give a file outside it, e.g. ${EXAMPLE}`,
    );
  }
  const stat = statOf(path);
  if (stat?.isDirectory()) {
    throw new UsageError(
      `${FLAG} ${shellWord(path)} is a directory: give the file to write, e.g. ${EXAMPLE}`,
    );
  }
  if (stat !== undefined && values.force !== true) {
    throw new UsageError(`${FLAG} ${shellWord(path)} exists: give a new file, or --force to replace it`);
  }
  assertWritable(FLAG, path);
  return path;
}

/** Whether two statuses are of one file: the same device and inode. */
const sameInode = (a: Stats, b: Stats): boolean => a.dev === b.dev && a.ino === b.ino;

/** The status of the file a stream writes to, when it has a descriptor (the process's stdout has 1). */
function streamStat(stream: NodeJS.WritableStream): Stats | undefined {
  const fd = (stream as { fd?: unknown }).fd;
  if (typeof fd !== 'number') return undefined;
  try {
    return fstatSync(fd);
  } catch {
    return undefined;
  }
}

/**
 * Refuses a provenance file that is where the rows go: the same path as `--out`, or the file
 * stdout is redirected to (`>> p.json`, by its inode). Replacing it would lose the rows: the
 * provenance is written last, renamed over the file, and the rows written to it are gone.
 */
export function assertProvenanceApart(
  provenance: string | undefined,
  rows: { out: string | undefined; stdout: NodeJS.WritableStream },
): void {
  if (provenance === undefined) return;
  const where = `--provenance ${shellWord(provenance)}`;
  const provenanceStat = statOf(provenance);
  if (rows.out !== undefined) {
    const outStat = statOf(rows.out);
    const same =
      realPath(rows.out) === realPath(provenance) ||
      (outStat !== undefined && provenanceStat !== undefined && sameInode(outStat, provenanceStat));
    if (same) {
      throw new UsageError(
        `${where} is the --out file: the provenance would replace the rows; give each its own file, e.g. --out rows.csv --provenance rows.provenance.json`,
      );
    }
    return;
  }
  const stdoutStat = streamStat(rows.stdout);
  if (stdoutStat?.isFile() && provenanceStat !== undefined && sameInode(stdoutStat, provenanceStat)) {
    throw new UsageError(
      `${where} is the file stdout is redirected to: the provenance would replace the rows written there; give it another file, or write the rows with --out <file>`,
    );
  }
}
