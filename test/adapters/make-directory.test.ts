import { mkdir, mkdtemp, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileMailer } from '../../functions/adapters/file-mailer.ts';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { makeDirectory } from '../../functions/adapters/make-directory.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'make-directory-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Node 20's own recursive mkdir never returns on these: a refusal must come well within this. */
const AT_ONCE_MS = 2_000;

describe('makeDirectory', () => {
  it('makes a directory and its missing parents, and takes one that is already there', async () => {
    const nested = join(dir, 'a', 'b', 'c');
    // What it made, deepest first; nothing when the directory is there already.
    expect(await makeDirectory(nested)).toEqual([nested, join(dir, 'a', 'b'), join(dir, 'a')]);
    expect((await stat(nested)).isDirectory()).toBe(true);
    await expect(makeDirectory(nested)).resolves.toEqual([]);
    await expect(makeDirectory(dir)).resolves.toEqual([]);
  });

  it(
    'refuses a directory under /proc at once, naming it, why and the fix',
    async () => {
      await expect(makeDirectory('/proc/nope/r.html')).rejects.toThrow(
        'cannot create the directory /proc/nope/r.html: /proc takes no new directories (a virtual file system such as /proc or /sys); choose a directory on a writable file system, or create it yourself first',
      );
    },
    AT_ONCE_MS,
  );

  it('refuses a path under a regular file, naming that file', async () => {
    const file = join(dir, 'plain.txt');
    await writeFile(file, 'x');
    await expect(makeDirectory(join(file, 'x', 'y'))).rejects.toThrow(
      `cannot create the directory ${join(file, 'x', 'y')}: ${file} is a file, not a directory;`,
    );
    await expect(makeDirectory(file)).rejects.toThrow(
      `cannot create the directory ${file}: ${file} is a file, not a directory;`,
    );
  });
});

// A dangling link (a lake on an unmounted disk) was called "a file": there is no file to remove.
describe('makeDirectory through a symbolic link', () => {
  it('names a link whose target does not exist, and that target', async () => {
    const lake = join(dir, 'dangling-lake');
    const to = join(dir, 'unmounted', 'lake');
    await symlink(to, lake);
    await expect(makeDirectory(join(lake, 'raw', 'h'))).rejects.toThrow(
      `cannot create the directory ${join(lake, 'raw', 'h')}: ${lake} is a symbolic link to ${to}, which does not exist;`,
    );
  });

  it('names a link to a file, and a link that loops', async () => {
    const file = join(dir, 'linked.txt');
    await writeFile(file, 'x');
    await symlink(file, join(dir, 'to-file'));
    await expect(makeDirectory(join(dir, 'to-file', 'x'))).rejects.toThrow(
      `${join(dir, 'to-file')} is a symbolic link to ${file}, which is not a directory;`,
    );
    await symlink(join(dir, 'loop'), join(dir, 'loop'));
    await expect(makeDirectory(join(dir, 'loop'))).rejects.toThrow(
      `${join(dir, 'loop')} is a symbolic link to ${join(dir, 'loop')}, which loops back on itself;`,
    );
  });

  it('makes directories through a link to a directory', async () => {
    await mkdir(join(dir, 'real'));
    await symlink(join(dir, 'real'), join(dir, 'linked'));
    await makeDirectory(join(dir, 'linked', 'a', 'b'));
    expect((await stat(join(dir, 'real', 'a', 'b'))).isDirectory()).toBe(true);
  });
});

describe('what makes directories the user named', () => {
  const unmakeable = '/proc/nope/out';

  it(
    'the file mailer (report and alerts files) fails at once on a directory it cannot make',
    async () => {
      const mailer = new FileMailer({ dir: unmakeable });
      await expect(
        mailer.send({ from: 'r@example.com', to: ['a@example.com'], subject: 's', html: 'h', text: 't' }),
      ).rejects.toThrow(`cannot create the directory ${unmakeable}: /proc takes no new directories`);
    },
    AT_ONCE_MS,
  );

  it(
    'the lake on disk fails at once on a directory it cannot make',
    async () => {
      const store = new FsObjectStore(unmakeable);
      await expect(store.put('a/b.json', new Uint8Array([1]))).rejects.toThrow(
        `cannot create the directory ${unmakeable}/a: /proc takes no new directories`,
      );
    },
    AT_ONCE_MS,
  );
});
