import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { main } from '../../functions/cli/main.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { captureIo } from '../support/capture-io.ts';
import { ingestSixHours, SIX_HOURS_DAY0 } from '../support/six-hours-ingest.ts';

// Review R-SECOND5 L4: a file in digest/ outside digest/instance=<i>/ passed verify --integrity,
// while the same stray in a table folder fails verify.

let dir: string;
let lake: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'verify-digest-strays-'));
  lake = join(dir, 'lake');
  await ingestSixHours(new FsObjectStore(lake));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

async function verify(...more: string[]) {
  const io = captureIo();
  const args = ['verify', '--lake', lake, '--instance', 'acme', '--integrity', ...more];
  const code = await main(args, { ...io.io, clock: { now: () => SIX_HOURS_DAY0 + 7 * HOUR_MS } });
  return { code, stdout: io.stdout() };
}

describe('verify of a lake with files in digest/ beside the chains', () => {
  it('names each as no object of this lake and fails, leaving the chains alone', async () => {
    expect((await verify()).code).toBe(0);
    const genesis = join(lake, 'digest', 'instance=acme', '0000000000.json');
    await copyFile(genesis, join(lake, 'digest', '0000000001.json'));
    await mkdir(join(lake, 'digest', 'instance=acme.old'));
    await copyFile(genesis, join(lake, 'digest', 'instance=acme.old', '0000000000.json'));
    const text = await verify();
    expect(text.code, text.stdout).toBe(1);
    expect(text.stdout).toContain('  not an object of this lake: digest/0000000001.json\n');
    expect(text.stdout).toContain('  not an object of this lake: digest/instance=acme.old/\n');
    expect(text.stdout).toContain("2 of them are in digest/ outside the chains' instance=<name>/ folders");
    const json = JSON.parse((await verify('--json')).stdout);
    expect(json.foreignKeys).toEqual(['digest/0000000001.json', 'digest/instance=acme.old/']);
  });
});
