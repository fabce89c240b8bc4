import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileMailer } from '../../functions/adapters/file-mailer.ts';
import { type FileSetFs, nodeFileSetFs } from '../../functions/adapters/file-set-switch.ts';
import { MailRejectedError } from '../../functions/core/mail/mail-errors.ts';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'file-mailer-switch-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const mail = (body: string) => ({
  from: 'r@example.com',
  to: ['a@example.com'],
  subject: `subject ${body}`,
  html: `<p>${body}</p>`,
  text: body,
});

/** Node's calls, but each call `refuses` picks (by its name and first path) fails with EIO. */
function failing(refuses: (call: string, from: string) => boolean): FileSetFs {
  const check = (call: string, from: string) => {
    if (refuses(call, from))
      throw Object.assign(new Error(`EIO: i/o error, ${call} '${from}'`), { code: 'EIO' });
  };
  return {
    writeFile: async (path, content) => {
      check('write', path);
      await nodeFileSetFs.writeFile(path, content);
    },
    copyFile: async (from, to) => {
      check('copyfile', from);
      await nodeFileSetFs.copyFile(from, to);
    },
    rename: async (from, to) => {
      check('rename', from);
      await nodeFileSetFs.rename(from, to);
    },
    rm: (path) => nodeFileSetFs.rm(path),
  };
}

/** Picks the `n`-th call `picks` is true of. */
const nth = (n: number, picks: (call: string, from: string) => boolean) => {
  let seen = 0;
  return (call: string, from: string) => picks(call, from) && ++seen === n;
};

const switchRename = (call: string, from: string) => call === 'rename' && from.endsWith('.tmp');

/** The directory's files by name, with what each holds (the eml by its subject line). */
async function contents(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of (await readdir(dir)).sort()) {
    const text = await readFile(join(dir, name), 'utf8');
    out[name] = name.endsWith('.eml') ? (/^Subject: (.*)\r$/m.exec(text)?.[1] ?? '') : text;
  }
  return out;
}

const set = (body: string) => ({
  'report.eml': `subject ${body}`,
  'report.html': `<p>${body}</p>`,
  'report.txt': body,
});

describe('FileMailer switches its three files all or nothing', () => {
  for (const n of [1, 2, 3]) {
    it(`keeps the earlier set whole when switch rename ${n} of 3 fails`, async () => {
      const dir = await mkdtemp(join(root, `rename-${n}-`));
      await new FileMailer({ dir }).send(mail('old'));
      const error = await new FileMailer({ dir, fs: failing(nth(n, switchRename)) })
        .send(mail('new'))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MailRejectedError);
      expect((error as Error).message).toMatch(/^EIO: i\/o error, rename '.*\.tmp'$/);
      // Every file the earlier one, and no temporary or set-aside file left.
      expect(await contents(dir)).toEqual(set('old'));
    });

    it(`leaves no file when switch rename ${n} of a first send fails`, async () => {
      const dir = await mkdtemp(join(root, `first-${n}-`));
      await expect(
        new FileMailer({ dir, fs: failing(nth(n, switchRename)) }).send(mail('new')),
      ).rejects.toThrow(MailRejectedError);
      expect(await readdir(dir)).toEqual([]);
    });
  }

  for (const [call, n] of [
    ['write', 2],
    ['copyfile', 3],
  ] as const) {
    it(`changes nothing when ${call} ${n} fails before the switch`, async () => {
      const dir = await mkdtemp(join(root, `${call}-`));
      await new FileMailer({ dir }).send(mail('old'));
      const fs = failing(nth(n, (c) => c === call));
      await expect(new FileMailer({ dir, fs }).send(mail('new'))).rejects.toThrow(MailRejectedError);
      expect(await contents(dir)).toEqual(set('old'));
    });
  }

  it('names the files left new when putting the earlier ones back fails too', async () => {
    const dir = await mkdtemp(join(root, 'put-back-'));
    await new FileMailer({ dir }).send(mail('old'));
    // The eml's switch fails after the html and the txt were switched; the txt's way back fails too.
    const fs = failing(
      (call, from) => call === 'rename' && /report\.eml\..*\.tmp$|report\.txt\..*\.old$/.test(from),
    );
    const error = await new FileMailer({ dir, fs }).send(mail('new')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MailRejectedError);
    expect((error as Error).message).toMatch(
      /^EIO: .*report\.eml.*\.tmp'; putting the earlier files back failed too, so report\.txt is new and the others the earlier ones: write the set again$/,
    );
    expect(await contents(dir)).toEqual({ ...set('old'), 'report.txt': 'new' });
  });
});
