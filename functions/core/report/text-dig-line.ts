import type { DigLine } from './dig-into-user.ts';
import { oneLine } from './flat-text.ts';
import { prose } from './text-prose.ts';

/**
 * The line that says how to dig into a user (dig-into-user.ts), after a blank line: its sentence
 * wrapped, then the command on a line of its own, not wrapped, so it copies as one line.
 */
export const digLines = (line: DigLine | undefined): string[] =>
  line ? ['', ...prose(line.sentence), ...(line.command ? [`  ${oneLine(line.command)}`] : [])] : [];
