import type { DigLine } from './dig-into-user.ts';
import { oneLine } from './flat-text.ts';
import { prose } from './text-prose.ts';

/** Columns of a line of the wrapped command, its indent and ` \` included. */
const COMMAND_WIDTH = 72;

/** The command's words: split at spaces outside quotes, so a quoted argument stays whole. */
function shellWords(command: string): string[] {
  const words: string[] = [];
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < command.length; i++) {
    const c = command[i];
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') {
      quote = c;
    } else if (c === ' ') {
      if (i > start) words.push(command.slice(start, i));
      start = i + 1;
    }
  }
  if (start < command.length) words.push(command.slice(start));
  return words;
}

/** Where a line may break: between words, but an option (`--from`) stays with the value after it. */
function optionParts(command: string): string[] {
  const parts: string[] = [];
  for (const word of shellWords(command)) {
    const last = parts.at(-1);
    if (last !== undefined && /^--\S+$/.test(last) && !word.startsWith('--')) {
      parts[parts.length - 1] = `${last} ${word}`;
    } else {
      parts.push(word);
    }
  }
  return parts;
}

/**
 * The command as shell lines of at most {@link COMMAND_WIDTH} columns, each but the last ending in
 * ` \`, broken between words, an option with its value: copied across the lines it runs as one (review R-CISO L5: a
 * 214-column line was wrapped anywhere by plain-text clients). A word longer than the width keeps
 * a line of its own.
 */
export function commandLines(command: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const part of optionParts(command)) {
    const indent = lines.length === 0 ? '  ' : '    ';
    if (line !== '' && indent.length + line.length + 1 + part.length + 2 > COMMAND_WIDTH) {
      lines.push(`${indent}${line} \\`);
      line = part;
    } else {
      line = line === '' ? part : `${line} ${part}`;
    }
  }
  lines.push(`${lines.length === 0 ? '  ' : '    '}${line}`);
  return lines;
}

/**
 * The line that says how to dig into a user (dig-into-user.ts), after a blank line: its sentence
 * wrapped, then the command on shell lines of its own ({@link commandLines}).
 */
export const digLines = (line: DigLine | undefined): string[] =>
  line ? ['', ...prose(line.sentence), ...(line.command ? commandLines(oneLine(line.command)) : [])] : [];
