import { randomUUID } from 'node:crypto';
import { rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { errorMessage } from '../core/error-message.ts';
import { type Clock, type Mailer, type MailMessage, systemClock } from '../core/ports.ts';
import { MailRejectedError } from '../core/report/mail-errors.ts';
import { makeDirectory } from './make-directory.ts';
import { buildMimeMessage } from './mime-message.ts';

export interface FileMailerOptions {
  /** Directory the files are written to (created if missing). */
  dir: string;
  /** File name without extension (default `report`): `report.html`, `report.txt`, `report.eml`. */
  basename?: string;
  clock?: Clock;
}

/**
 * A {@link Mailer} that "sends" by writing the mail into a directory: the HTML body, the text
 * alternative and the complete MIME message (`.eml`, which any mail client opens). What the local
 * `report` command and the demo use instead of SES.
 */
export class FileMailer implements Mailer {
  readonly dir: string;
  private readonly basename: string;
  private readonly clock: Clock;

  constructor(options: FileMailerOptions) {
    this.dir = resolve(options.dir);
    this.basename = options.basename ?? 'report';
    this.clock = options.clock ?? systemClock;
  }

  /** Absolute paths of the files a send writes. */
  get paths(): { html: string; txt: string; eml: string } {
    const at = (ext: string) => join(this.dir, `${this.basename}.${ext}`);
    return { html: at('html'), txt: at('txt'), eml: at('eml') };
  }

  async send(message: MailMessage): Promise<{ messageId: string }> {
    const messageId = `${randomUUID()}@domo-activity-lake.local`;
    const eml = buildMimeMessage(message, { date: new Date(this.clock.now()), messageId });
    const paths = this.paths;
    try {
      await makeDirectory(this.dir);
      await writeAtomically(paths.html, message.html);
      await writeAtomically(paths.txt, message.text);
      await writeAtomically(paths.eml, eml);
    } catch (error) {
      // Written through a temporary file and a rename: a failed write delivered nothing, which a
      // mail service's definite refusal says too (a report may be made again; not "may have gone").
      throw new MailRejectedError(errorMessage(error), 'FileNotWritten', { cause: error });
    }
    return { messageId };
  }
}

/** Writes via a temporary file and a rename, so a reader never opens a half-written report. */
async function writeAtomically(path: string, content: string): Promise<void> {
  const temp = `${path}.${process.pid}.${randomUUID().slice(0, 8)}.tmp`;
  await writeFile(temp, content, 'utf8');
  await rename(temp, path);
}
