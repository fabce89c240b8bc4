import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const NAME = 'domo-activity-lake';

/**
 * The project's version, from its package.json: looked up from this module's folder, which is
 * functions/cli in the sources and dist/ in the prebuilt bundle, so no build step has to stamp it.
 */
export function cliVersion(from: string = import.meta.dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: unknown;
        version?: unknown;
      };
      if (pkg.name === NAME && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // No package.json here (or not readable): look in the folder above.
    }
    if (dirname(dir) === dir) return 'unknown';
  }
}
