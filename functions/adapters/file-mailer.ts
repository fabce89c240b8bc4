import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { errorMessage } from '../core/error-message.ts';
import { MailRejectedError } from '../core/mail/mail-errors.ts';
import type { Clock, Mailer, MailMessage } from '../core/ports.ts';
import { systemClock } from '../core/runtime.ts';
import { type FileSetFs, nodeFileSetFs, switchFileSet } from './file-set-switch.ts';
import { makeDirectory } from './make-directory.ts';
import { buildMimeMessage } from './mime-message.ts';

interface FileMailerOptions {
  /** Directory the files are written to (created if missing). */
  dir: string;
  /** File name without extension (default `report`): `report.html`, `report.txt`, `report.eml`. */
  basename?: string;
  clock?: Clock;
  /** The file-system calls that write the files (tests fail one of them); default Node's. */
  fs?: FileSetFs;
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
  private readonly fs: FileSetFs;

  constructor(options: FileMailerOptions) {
    this.dir = resolve(options.dir);
    this.basename = options.basename ?? 'report';
    this.clock = options.clock ?? systemClock;
    this.fs = options.fs ?? nodeFileSetFs;
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
      // One set: a failed write leaves the earlier mail's three files, not some of each.
      await switchFileSet(
        [
          { path: paths.html, content: message.html },
          { path: paths.txt, content: message.text },
          { path: paths.eml, content: eml },
        ],
        this.fs,
      );
    } catch (error) {
      // Written whole to temporary files, then switched in together: a failed write delivered
      // nothing, which a mail service's definite refusal says too (a report may be made again;
      // not "may have gone").
      throw new MailRejectedError(errorMessage(error), 'FileNotWritten', { cause: error });
    }
    return { messageId };
  }
}
