import { statSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The first of `path` and the folders it goes through, from the top, that is not a directory: what
 * to name when a path cannot be a directory (`notes.txt/lake` is refused for `notes.txt`).
 */
export function fileOnPath(path: string): string | undefined {
  const parts: string[] = [];
  for (let at = path; ; at = dirname(at)) {
    parts.unshift(at);
    if (dirname(at) === at) break;
  }
  return parts.find((part) => {
    try {
      return !statSync(part).isDirectory();
    } catch {
      return false;
    }
  });
}
