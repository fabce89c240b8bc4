import { realpathSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { outBesideLake } from './out-beside-lake.ts';
import { UsageError } from './usage-error.ts';

/** What a command writes into its `--out` directory, for the messages that refuse one. */
export interface OutWrites {
  /** The command, as the messages name it: `report`. */
  command: string;
  /** What it writes at the top of `--out`: `report.html, .txt, .eml and .json`. */
  files: string;
  /**
   * A folder of `--out` it writes into, and what goes there: a lake inside that folder would
   * receive them (`reports`, `the week's archive and sent marker`).
   */
  folder?: { name: string; what: string };
  /** What else it would write into an `--out` that is the lake, and what would misread it there. */
  atLakeRoot?: string;
}

/**
 * `path` with its symbolic links resolved, as far as it exists (a missing `--out` is made later):
 * a link to the lake is the lake.
 */
export function realPath(path: string): string {
  const absolute = resolve(path);
  try {
    return realpathSync(absolute);
  } catch {
    const parent = dirname(absolute);
    return parent === absolute ? absolute : join(realPath(parent), basename(absolute));
  }
}

/** Whether `inner` is `outer` or lies inside it. */
export function within(inner: string, outer: string): boolean {
  const path = relative(outer, inner);
  return path === '' || (path !== '..' && !path.startsWith(`..${sep}`) && !path.startsWith(sep));
}

/**
 * Refuses (a usage error) an `--out` whose files would land in the lake directory, which these
 * commands only read: an `--out` that is the lake or lies inside it, or one whose written folder
 * holds the lake. `out` and `lake` are the values as typed, for the messages.
 */
export function assertOutOutsideLake(out: string, lake: string, writes: OutWrites): void {
  const outDir = realPath(out);
  const lakeDir = realPath(lake);
  const folder = writes.folder;
  // Only for a refusal: it resolves two more paths.
  const example = () => exampleOut(lake, lakeDir, folder?.name);
  const elsewhere = () => `pass an --out outside the lake${example()}`;
  if (outDir === lakeDir) {
    throw new UsageError(
      `--out ${out} is the lake (--lake ${lake}): ${writes.command} would write ${writes.files} into it${writes.atLakeRoot ? `, and ${writes.atLakeRoot}` : ''}; ${writes.command} only reads the lake: ${elsewhere()}`,
    );
  }
  if (within(outDir, lakeDir)) {
    throw new UsageError(
      `--out ${out} is inside the lake (--lake ${lake}): ${writes.command} would write ${writes.files} into the lake, which it only reads: ${elsewhere()}`,
    );
  }
  // Resolved too: a link at <out>/reports into the lake would put them there all the same.
  const folderDir = folder && realPath(join(outDir, folder.name));
  if (folder && folderDir && within(folderDir, lakeDir)) {
    throw new UsageError(
      `${join(out, folder.name)} is in the lake (--lake ${lake}), through a link: ${writes.command} would write ${folder.what} into the lake, which it only reads; pass an --out whose ${folder.name}/ folder is outside the lake${example()}`,
    );
  }
  if (folder && folderDir && within(lakeDir, folderDir)) {
    throw new UsageError(
      `--lake ${lake} is inside ${join(out, folder.name)}, where ${writes.command} writes ${folder.what}: they would land in the lake, which it only reads; pass an --out whose ${folder.name}/ folder does not hold the lake${example()}`,
    );
  }
}

/**
 * ` (e.g. <dir>)`: an --out these checks would take, `./out` (the commands' own default) or else
 * `out/` next to the lake; nothing when neither would do (a lake at `/` holds every directory). With
 * `--lake .`, `./out` is the very directory refused.
 */
function exampleOut(lake: string, lakeDir: string, folderName: string | undefined): string {
  for (const candidate of ['./out', outBesideLake(lake)]) {
    const dir = realPath(candidate);
    const folderDir = folderName === undefined ? undefined : realPath(join(dir, folderName));
    const clear =
      !within(dir, lakeDir) &&
      (folderDir === undefined || (!within(folderDir, lakeDir) && !within(lakeDir, folderDir)));
    if (clear) return ` (e.g. ${candidate})`;
  }
  return '';
}
