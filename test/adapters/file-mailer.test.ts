import { lstat, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileMailer } from '../../functions/adapters/file-mailer.ts';
import { MailRejectedError } from '../../functions/core/mail/mail-errors.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'file-mailer-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('FileMailer', () => {
  it('writes the HTML, the text and a complete .eml into a new directory', async () => {
    const out = join(dir, 'nested', 'out');
    const mailer = new FileMailer({ dir: out, clock: { now: () => Date.parse('2026-11-23T07:00:00Z') } });
    const { messageId } = await mailer.send({
      from: 'reports@example.com',
      to: ['a@example.com'],
      subject: 'Weekly',
      html: '<p>hi</p>',
      text: 'hi',
    });
    expect((await readdir(out)).sort()).toEqual(['report.eml', 'report.html', 'report.txt']);
    expect(await readFile(mailer.paths.html, 'utf8')).toBe('<p>hi</p>');
    expect(await readFile(mailer.paths.txt, 'utf8')).toBe('hi');
    const eml = await readFile(mailer.paths.eml, 'utf8');
    expect(eml).toContain(`Message-ID: <${messageId}>\r\n`);
    expect(eml).toContain('Date: Mon, 23 Nov 2026 07:00:00 +0000\r\n');
    expect(eml).toContain('Content-Type: multipart/alternative;');
    expect(eml).toContain('Content-Type: text/html; charset=UTF-8');
  });

  it('replaces the files of an earlier send and leaves no temporary files', async () => {
    const mailer = new FileMailer({ dir, basename: 'weekly' });
    const mail = { from: 'r@example.com', to: ['a@example.com'], subject: 's', html: 'one', text: 'one' };
    await mailer.send(mail);
    await mailer.send({ ...mail, html: 'two' });
    expect(await readFile(join(dir, 'weekly.html'), 'utf8')).toBe('two');
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  const mail = { from: 'r@example.com', to: ['a@example.com'], subject: 's', html: 'new', text: 'new' };

  it("replaces a link by a file of its own: a send never writes into the link's target", async () => {
    const out = await mkdtemp(join(dir, 'linked-'));
    const elsewhere = join(dir, 'elsewhere.html');
    await writeFile(elsewhere, 'keep me');
    await symlink(elsewhere, join(out, 'report.html'));
    await new FileMailer({ dir: out }).send(mail);
    expect(await readFile(elsewhere, 'utf8')).toBe('keep me');
    expect((await lstat(join(out, 'report.html'))).isSymbolicLink()).toBe(false);
    expect(await readFile(join(out, 'report.html'), 'utf8')).toBe('new');
  });

  it("dates the mail by the system clock by default, and ids it under the tool's local domain", async () => {
    const mailer = new FileMailer({ dir: join(dir, 'dated') });
    const before = Date.now();
    const { messageId } = await mailer.send(mail);
    expect(messageId).toMatch(/^[0-9a-f-]{36}@domo-activity-lake\.local$/);
    const date = /^Date: (.+)\r$/m.exec(await readFile(mailer.paths.eml, 'utf8'))?.[1];
    // The header has whole seconds.
    expect(Date.parse(date ?? '')).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(Date.parse(date ?? '')).toBeLessThanOrEqual(Date.now());
  });

  it('refuses definitely when it cannot write: nothing was delivered, so it may be made again', async () => {
    // Worded as a mail service's refusal, not as an outcome unknown ("may have been mailed").
    const file = join(dir, 'a-file');
    await writeFile(file, 'x');
    const mailer = new FileMailer({ dir: join(file, 'out') });
    const error = await mailer
      .send({ from: 'r@example.com', to: ['a@example.com'], subject: 'S', html: '<p></p>', text: '' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MailRejectedError);
    expect((error as Error).message).toMatch(
      /cannot create the directory .*a-file is a file, not a directory/,
    );
  });

  it('gives absolute paths for a relative directory', () => {
    const mailer = new FileMailer({ dir: 'out/reports' });
    expect(mailer.dir).toBe(resolve('out/reports'));
    expect(mailer.paths.txt).toBe(join(resolve('out/reports'), 'report.txt'));
  });
});
