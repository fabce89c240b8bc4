import { isAbsolute, relative, resolve } from 'node:path';

/** The commands that write rows or events to local files, and the options naming where. */
const WRITERS: Record<string, readonly string[]> = {
  ingest: ['--lake'],
  enrich: ['--lake'],
  demo: ['--lake', '--out'],
  report: ['--out'],
  alerts: ['--out'],
  query: ['--out', '--provenance'],
};

/** The folders a command defaults to when an option is not given (in the working directory). */
const DEFAULTS: Record<string, string> = { '--lake': 'lake', '--out': 'out' };

/** The value of `option` in `args` (`--lake x` or `--lake=x`), if given. */
function optionValue(args: readonly string[], option: string): string | undefined {
  for (const [i, arg] of args.entries()) {
    if (arg === option) return args[i + 1];
    if (arg.startsWith(`${option}=`)) return arg.slice(option.length + 1);
  }
  return undefined;
}

const inside = (path: string, folder: string): boolean => {
  const rel = relative(folder.toLowerCase(), path.toLowerCase());
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
};

/**
 * On Windows the 0600 files and 0700 folders the command line makes (private-mode.ts) are not
 * applied: libuv ignores mkdir's mode and maps a file's to the read-only attribute only, so what
 * it writes inherits the folder's permissions, which under a drive's root (`C:\src\...`) let every
 * account of the machine read it (review R-WINOPS M1). One note, when a command writes rows or
 * events to a local path outside the user's profile, whose permissions are the user's own.
 * Undefined on any other platform, for other commands, and for paths inside the profile.
 */
export function windowsModesNote(
  platform: string,
  command: string,
  args: readonly string[],
  where: { cwd: string; home: string },
): string | undefined {
  const options = WRITERS[command];
  if (platform !== 'win32' || options === undefined) return undefined;
  const paths = options.flatMap((option) => {
    const value = optionValue(args, option) ?? (command === 'query' ? undefined : DEFAULTS[option]);
    return value === undefined || value.startsWith('s3://') ? [] : [resolve(where.cwd, value)];
  });
  const outside = paths.filter((path) => !inside(path, where.home));
  if (outside.length === 0) return undefined;
  return `note: on Windows the files are not made private (0600 modes do not apply): ${outside.join(', ')} take the folder's permissions, which outside your user profile (${where.home}) may let other accounts of this machine read them; see docs/privacy.md, Local copies`;
}
