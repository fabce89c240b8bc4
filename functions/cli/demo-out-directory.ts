import { isAbsolute, join } from 'node:path';

/**
 * The demo's `--out` as the user would type it: the one given, or else `out/` next to the lake.
 * Derived from `lake` as typed, `..` worked out as `resolve` works it out: the refusal of an --out
 * in the lake, the messages and the report step then all mean the directory that is written (the
 * parent of `--lake .` is `..`, not `.`).
 */
export function demoOutDirectory(lake: string, out: string | undefined): string {
  if (out !== undefined) return out;
  const beside = join(lake, '..', 'out');
  // `./out` rather than `out`: the messages name it as a path, as the help does.
  return isAbsolute(beside) || beside.startsWith('..') ? beside : `./${beside}`;
}
