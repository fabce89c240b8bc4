import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileMailer } from '../../functions/adapters/file-mailer.ts';

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
});
