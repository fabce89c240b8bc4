import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { main } from '../../functions/cli/main.ts';
import { captureIo } from '../support/capture-io.ts';
import { forgeHourOneAfterHead } from '../support/forged-hour-on-disk.ts';
import { ingestSixHours, SIX_HOURS_DAY0 } from '../support/six-hours-ingest.ts';

const day0 = SIX_HOURS_DAY0;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'verify-changed-since-noted-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

/** `verify --integrity` of `lake` with `options`: its exit code and what it printed. */
async function verify(lake: string, ...options: string[]) {
  const io = captureIo();
  const argv = ['verify', '--lake', lake, '--instance', 'acme', '--integrity', ...options];
  const code = await main(argv, io.io);
  return { code, stdout: io.stdout() };
}

describe('verify --integrity --expect-head on an unsigned lake rewritten after the head', () => {
  it('fails on an older hour rewritten by a digest appended after the noted head', async () => {
    const lake = join(dir, 'lake');
    const store = new FsObjectStore(lake);
    await ingestSixHours(store);
    const { stdout: first } = await verify(lake, '--json');
    const head = JSON.parse(first).integrity.head as { key: string; sha256: string };
    // The review's forgery: hour 1 rewritten, and a digest after the head lists it as a re-pull.
    const hour1 = await forgeHourOneAfterHead(lake, store, day0);
    const noted = `${head.key}=${head.sha256}`;
    const text = await verify(lake, '--expect-head', noted);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(`noted head still on the chain: ${head.key}`);
    expect(text.stdout).toContain(
      `1 object(s) the store holds otherwise than the digests up to the noted head ${head.key} left them`,
    );
    expect(text.stdout).toContain(`changed-since-noted: ${hour1}: the digests up to the noted head`);
    // Judged an honest re-pull (here it is not), the finding is accepted for those bytes.
    const json = await verify(lake, '--expect-head', noted, '--json');
    const accepted = join(dir, 'accepted.json');
    await writeFile(accepted, json.stdout);
    expect((await verify(lake, '--expect-head', noted, '--accept', accepted)).code).toBe(0);
  });
});
