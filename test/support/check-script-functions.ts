import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHECK_SCRIPT } from '../../functions/cli/evidence-check-script.ts';

/**
 * What an expression over check.py's functions gives, run by python3 on the script as a bundle
 * holds it (imported as `check`, `given` the JSON of `input`): how the tests hold the script's
 * Python twins of the product's rules to the TypeScript. A Python error fails with its text.
 */
export function checkScriptAnswer<T>(expression: string, input: unknown): T {
  const dir = mkdtempSync(join(tmpdir(), 'check-script-'));
  try {
    writeFileSync(join(dir, 'check.py'), CHECK_SCRIPT);
    const driver = [
      'import json, sys',
      `sys.path.insert(0, ${JSON.stringify(dir)})`,
      'import check',
      'given = json.load(sys.stdin)',
      `print(json.dumps(${expression}))`,
    ].join('\n');
    const run = spawnSync('python3', ['-c', driver], { input: JSON.stringify(input), encoding: 'utf8' });
    if (run.status !== 0 || run.stderr !== '') {
      throw new Error(`python3 on check.py failed (${run.status}): ${run.stderr || run.error?.message}`);
    }
    return JSON.parse(run.stdout) as T;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
