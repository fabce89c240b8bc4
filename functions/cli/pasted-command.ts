/**
 * A command the CLI prints for its reader to paste (the demo's "Explore" lines, the queries after
 * the `alerts` table), fitted to the terminal without breaking it.
 */
import { displayWidth } from '../core/display-width.ts';
import { cliCommand, commandLine, shellWord } from './command-line.ts';
import { type CommandOption, continuedCommand } from './commands/simulate.ts';

/**
 * A command as printed, indented by two: whole on one line where it fits (a pipe, a file, a wide
 * terminal), else one option a line joined by ` \\` as `simulate` prints its ingest command
 * ({@link continuedCommand}): at 80 columns the demo's report line (~100) wrapped mid-token, and a
 * reader could not tell one option from the next. Either way it pastes as one command. `args` is
 * the subcommand and the words before its first flag (a query's name), then its flags, each
 * followed by its value unless the next word is a flag. Until 2026-12-07 the words after the
 * subcommand were dropped when the command was split: the demo's `query data_movement …` printed
 * at 80 columns as `query \ --lake …`, which `query` refuses for want of a name (review ALERTIR).
 */
export function pastedCommandLines(args: readonly string[], width: number): string[] {
  const whole = `  ${commandLine(args)}`;
  if (displayWidth(whole) <= width) return [whole];
  const first = args.findIndex((word) => word.startsWith('--'));
  const head = first < 0 ? args : args.slice(0, first);
  const rest = first < 0 ? [] : args.slice(first);
  const options: CommandOption[] = [];
  rest.forEach((word, at) => {
    if (!word.startsWith('--')) return;
    const value = rest[at + 1];
    options.push(value === undefined || value.startsWith('--') ? [word] : [word, value]);
  });
  const command = `${cliCommand()} ${head.map(shellWord).join(' ')}`;
  return continuedCommand(undefined, command, options).map((line) => `  ${line}`);
}
