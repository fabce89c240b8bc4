import { isAbsolute, join } from 'node:path';

/**
 * `out/` next to the lake, as the user would type it: derived from `lake` as typed, `..` worked out
 * as `resolve` works it out (the parent of `--lake .` is `..`, not `.`).
 */
export function outBesideLake(lake: string): string {
  const beside = join(lake, '..', 'out');
  // `./out` rather than `out`: the messages name it as a path, as the help does.
  return isAbsolute(beside) || beside.startsWith('..') ? beside : `./${beside}`;
}
