import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { demoCommand } from '../../functions/cli/commands/demo.ts';
import { silentLog } from '../../functions/core/ports.ts';
import { captureIo } from '../support/capture-io.ts';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('demo --lake on a directory it did not make', () => {
  it('refuses it, says what to do instead, and leaves it as it is', async () => {
    dir = await mkdtemp(join(tmpdir(), 'demo-foreign-'));
    await writeFile(join(dir, 'notes.txt'), 'mine\n');
    const outcome = await demoCommand(['--lake', dir], { ...captureIo().io, log: silentLog }).then(
      () => 'ran',
      (e: Error) => `${e.name}: ${e.message}`,
    );
    expect(outcome).toMatch(
      /^UsageError: .* is not empty and was not made by the demo \(it holds .*notes\.txt/,
    );
    expect(outcome).toMatch(/; pass --lake <new dir> or remove it yourself$/);
    expect(await readdir(dir)).toEqual(['notes.txt']);
  });
});
