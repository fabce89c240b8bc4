/**
 * A command's sentences for the stream they go to. A terminal cuts a line wider than itself
 * wherever its edge falls, mid-word; wrapped here between words, a line reads as prose (see
 * {@link wrapNote}: after a label such as `note:` the rest hangs under its text, and a path or a
 * URL wider than a line stays whole, to be copied in one piece). Piped or redirected, the text
 * stays as it is, every line whole. Lines `keepWhole` picks (commands meant to be pasted) are left
 * whole at any width.
 */
import { wrapNote } from '../core/wrap-note.ts';
import { terminalWidth } from './terminal-table.ts';

export function fitProse(
  text: string,
  stream: NodeJS.WritableStream,
  keepWhole: (line: string) => boolean = () => false,
): string {
  const width = terminalWidth(stream);
  return text
    .split('\n')
    .flatMap((line) => (keepWhole(line) ? [line] : wrapNote(line, width)))
    .join('\n');
}
