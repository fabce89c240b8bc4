import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Writes category rules that replace the built-in ones and match no action of the simulator's
 * instances, and returns their path: an ingest with them stores every event as `other`, so an
 * `enrich` with the built-in rules then has hours to rewrite.
 */
export async function writeBlindCategoryRules(dir: string): Promise<string> {
  const path = join(dir, 'blind.json');
  await writeFile(
    path,
    JSON.stringify({
      replaceBuiltIn: true,
      rules: ['login', 'login_failed', 'lockout'].map((category) => ({ category, actionType: '^NEVER$' })),
    }),
  );
  return path;
}
