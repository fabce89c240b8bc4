import { wrapNote } from '../core/wrap-note.ts';
import { terminalWidth } from './terminal-table.ts';

/**
 * Where a command that writes a lake on disk says that it waits for a key's write lock, or broke
 * one (the store's `onLockNotice`): a warning on stderr whatever the log level, since a silent wait
 * of up to a minute looks like a hang. On a terminal it is written over the command's progress
 * line, which the next update draws again below it, and wrapped at words to the width.
 */
export const lockNoticeTo =
  (stderr: NodeJS.WriteStream) =>
  (line: string): void => {
    if (stderr.isTTY) stderr.write('\r\x1b[K');
    for (const part of wrapNote(`warning: ${line}`, terminalWidth(stderr))) stderr.write(`${part}\n`);
  };
