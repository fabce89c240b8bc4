import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renameWithRetry } from '../../functions/adapters/rename-retry.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rename-retry-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const failure = (code: string) =>
  Object.assign(new Error(`${code}: operation not permitted, rename`), { code });

/** A rename that fails `times` times with `code` (as antivirus holding the file does), then renames. */
function flaky(code: string, times: number) {
  const calls: string[] = [];
  const rename = async (from: string, to: string) => {
    calls.push(code);
    if (calls.length <= times) throw failure(code);
    const { rename: real } = await import('node:fs/promises');
    await real(from, to);
  };
  return { rename, calls };
}

// Review R-WINOPS M3: on Windows a rename over a file another process holds fails for a moment.
describe('renameWithRetry', () => {
  it.each(['EPERM', 'EACCES', 'EBUSY'])(
    'on win32 tries a transient %s again until it goes through',
    async (code) => {
      const from = join(dir, `${code}.tmp`);
      const to = join(dir, `${code}.json`);
      await writeFile(from, 'new');
      const { rename, calls } = flaky(code, 2);
      await renameWithRetry(from, to, { platform: 'win32', rename, sleep: async () => {} });
      expect(await readFile(to, 'utf8')).toBe('new');
      expect(calls).toEqual([code, code, code]);
    },
  );

  it('gives up after a bounded number of tries, with the error', async () => {
    const from = join(dir, 'held.tmp');
    await writeFile(from, 'x');
    const waits: number[] = [];
    const { rename } = flaky('EPERM', Number.POSITIVE_INFINITY);
    await expect(
      renameWithRetry(from, join(dir, 'held.json'), {
        platform: 'win32',
        rename,
        sleep: async (ms) => waits.push(ms),
      }),
    ).rejects.toThrow(/^EPERM/);
    expect(waits.length).toBeGreaterThan(5);
    expect(waits.reduce((a, b) => a + b, 0)).toBeLessThan(5000);
  });

  it('throws at once off Windows, for other errors, and when the source is gone', async () => {
    const from = join(dir, 'once.tmp');
    await writeFile(from, 'x');
    const sleep = async () => {
      throw new Error('no wait expected');
    };
    for (const [platform, code, source] of [
      ['linux', 'EPERM', from],
      ['win32', 'EXDEV', from],
      ['win32', 'EPERM', join(dir, 'gone.tmp')],
    ] as const) {
      const { rename, calls } = flaky(code, 1);
      await expect(
        renameWithRetry(source, join(dir, 'once.json'), { platform, rename, sleep }),
      ).rejects.toThrow(new RegExp(`^${code}`));
      expect(calls).toHaveLength(1);
    }
  });
});
