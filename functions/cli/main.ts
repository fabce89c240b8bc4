import { homedir } from 'node:os';
import { didYouMean } from '../core/did-you-mean.ts';
import { runFailed } from '../core/ingest/run-verdict.ts';
import { versionLine } from './cli-version.ts';
import { CommandInterrupted } from './command-interrupted.ts';
import { type CommandIo, platformOf } from './command-io.ts';
import { cliCommand, commandLine } from './command-line.ts';
import type { IngestCommandResult } from './commands/ingest.ts';
import { consoleLog, type LogLevel } from './console-log.ts';
import { failureMessage, ingestStoppedMessage } from './failure-message.ts';
import { INTERRUPT_EXIT_CODE } from './interrupts.ts';
import { npmRanScript, npmStrayWordAdvice, npmTakenMessage, npmTakenOptions } from './npm-taken-options.ts';
import type { OptionSpec } from './options.ts';
import { UsageError } from './usage-error.ts';
import { windowsModesNote } from './windows-modes-note.ts';

const help = `Usage: domo-activity-lake <command> [options]

Commands:
  ingest     pull Domo's Activity Log into the lake (checkpoint or --from/--to)
  simulate   run a simulated Domo instance on 127.0.0.1
  verify     check the lake: coverage gaps, duplicate ids, counts, quarantine
  status     is it working? watermark, lag, last run, missing hours, reports
  query      run a query of the catalog (most_active_users, ...; --list)
  report     write the weekly report of the lake as report.html, .txt and .eml
  enrich     fill the geo columns of events already in the lake (--from --to)
  alerts     list the security alerts of the lake, write their mail (alerts.eml)
  evidence   write one user's (or a period's) events as a verifiable bundle
  demo       the whole product locally: simulator, ingest, verify, weekly report

Global options: --verbose (info, warning and error logs on stderr), --debug
(all logs), --help, --version. Each command has --help (or: help <command>).
Exit status: 0 success, 1 failure (one-line reason; status: an instance not ok,
its states in status --help), 2 usage error, 130 (SIGINT, Ctrl-C), 143
(SIGTERM) or 129 (SIGHUP, the terminal closed) interrupted: ingest and enrich
then say what they kept, demo what it left, query and report what they stopped
(on DuckDB or in Athena).
`;

/**
 * An ingest's exit status: 0, or a failure (thrown, so it prints as every command's) when hours
 * failed; when a signal interrupted it, the signal's status, as if it had ended the process, after
 * the line of the hours that failed, if any.
 */
export function ingestStatus(result: IngestCommandResult, stderr: NodeJS.WritableStream): number {
  const { summary, interrupted, maxReadMinutes } = result;
  const stoppedLine = () =>
    ingestStoppedMessage(summary.failures, summary.windowsFailed, summary.windowsDone, maxReadMinutes);
  if (interrupted) {
    if (runFailed(summary)) stderr.write(`error: ${stoppedLine()}\n`);
    return INTERRUPT_EXIT_CODE[interrupted];
  }
  if (runFailed(summary)) throw new Error(stoppedLine());
  return 0;
}

/**
 * The status of a command a signal stopped (--athena: its queries stopped in Athena, said on
 * stderr): the signal's; any other failure is thrown on.
 */
function interruptedStatus(error: unknown): number {
  if (error instanceof CommandInterrupted) return INTERRUPT_EXIT_CODE[error.signal];
  throw error;
}

type Command = {
  help: string;
  options: OptionSpec;
  run: (argv: readonly string[], io: CommandIo) => Promise<number>;
};

// Each command's module is imported only when that command runs: DuckDB, the AWS SDK and the
// simulator load for the commands that use them, so start-up time and memory stay small.
const commands: Record<string, () => Promise<Command>> = {
  ingest: async () => {
    const { ingestCommand, ingestHelp, ingestOptions } = await import('./commands/ingest.ts');
    return {
      help: ingestHelp,
      options: ingestOptions,
      run: async (argv, io) => ingestStatus(await ingestCommand(argv, io), io.stderr),
    };
  },
  verify: async () => {
    const { verifyRun, verifyHelp, verifyOptions } = await import('./commands/verify.ts');
    return {
      help: verifyHelp,
      options: verifyOptions,
      run: verifyRun,
    };
  },
  status: async () => {
    const { statusCommand, statusHelp, statusOptions } = await import('./commands/status.ts');
    return {
      help: statusHelp,
      options: statusOptions,
      run: async (argv, io) => ((await statusCommand(argv, io)).ok ? 0 : 1),
    };
  },
  query: async () => {
    const { queryCommand, queryHelp, queryOptions } = await import('./commands/query.ts');
    return {
      help: queryHelp,
      options: queryOptions,
      run: (argv, io) => queryCommand(argv, io).then(() => 0, interruptedStatus),
    };
  },
  simulate: async () => {
    const { simulateCommand, simulateHelp, simulateOptions } = await import('./commands/simulate.ts');
    return {
      help: simulateHelp,
      options: simulateOptions,
      run: (argv, io) => simulateCommand(argv, io).then(() => 0),
    };
  },
  report: async () => {
    const { reportCommand, reportHelp, reportOptions } = await import('./commands/report.ts');
    return {
      help: reportHelp,
      options: reportOptions,
      run: (argv, io) => reportCommand(argv, io).then(() => 0, interruptedStatus),
    };
  },
  alerts: async () => {
    const { alertsCommand, alertsHelp, alertsOptions } = await import('./commands/alerts.ts');
    return {
      help: alertsHelp,
      options: alertsOptions,
      run: (argv, io) => alertsCommand(argv, io).then(() => 0),
    };
  },
  evidence: async () => {
    const { evidenceRun, evidenceHelp, evidenceOptions } = await import('./evidence-command.ts');
    return {
      help: evidenceHelp,
      options: evidenceOptions,
      // Its queries stopped by a signal: the bundle removed, the signal's status, as query's.
      run: (argv, io) => evidenceRun(argv, io).catch(interruptedStatus),
    };
  },
  enrich: async () => {
    const { enrichCommand, enrichHelp, enrichOptions } = await import('./commands/enrich.ts');
    return {
      help: enrichHelp,
      options: enrichOptions,
      // Stopped by a signal between hours: that signal's status, as ingest's.
      run: async (argv, io) => {
        const { interrupted } = await enrichCommand(argv, io);
        return interrupted ? INTERRUPT_EXIT_CODE[interrupted] : 0;
      },
    };
  },
  demo: async () => {
    const { demoCommand, demoHelp, demoOptions } = await import('./commands/demo.ts');
    return {
      help: demoHelp,
      options: demoOptions,
      run: async (argv, io) => ((await demoCommand(argv, io)).verify.ok ? 0 : 1),
    };
  },
};

/**
 * What the words before a command's own ask for, when not a command to run: the usage, the
 * version, a command's help, or an unknown command's refusal; for a command to run, its loader.
 */
async function answerWithoutCommand(
  name: string | undefined,
  rest: readonly string[],
  io: Omit<CommandIo, 'log'>,
  argv: readonly string[],
): Promise<number | (() => Promise<Command>)> {
  // Without a command the usage is an error's message: on stderr, so `x=$(domo-activity-lake)` or a
  // pipe gets nothing to parse; asked for, it is the output.
  if (name === undefined) {
    io.stderr.write(help);
    return 2;
  }
  if (name === '--version' || name === '-V') {
    io.stdout.write(`${versionLine()}\n`);
    return 0;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    // `help status` and `--help status` are `status --help`; alone, or before an option
    // (`--help --lake`), the usage; `help qeury` an unknown command.
    const word = rest[0];
    const asked = word === undefined ? undefined : commandLoader(word);
    if (word !== undefined && !asked && !word.startsWith('-')) return unknownCommand(word, io);
    io.stdout.write(asked ? (await asked()).help : help);
    return 0;
  }
  if (name.startsWith('-')) return optionBeforeCommand(name, argv, io);
  return commandLoader(name) ?? unknownCommand(name, io);
}

/** The options `main` reads before any command. */
const GLOBAL_OPTIONS = ['--help', '--version', '--verbose', '--debug'];

/**
 * Refuses an option where the command should be (exit 2). With a command further on (`--lake
 * ./lake status`), says options go after it, and the line that runs; else a global option
 * mistyped (`--versio`) is named, and any other option is said to need a command before it.
 */
function optionBeforeCommand(option: string, argv: readonly string[], io: Omit<CommandIo, 'log'>): number {
  const at = argv.findIndex((word) => commandLoader(word) !== undefined);
  if (at >= 0) {
    const fixed = [argv[at] as string, ...argv.slice(0, at), ...argv.slice(at + 1)];
    io.stderr.write(`error: options go after the command: ${commandLine(fixed)}\n`);
    return 2;
  }
  const near = didYouMean(option, GLOBAL_OPTIONS);
  const advice =
    near === undefined
      ? `: options go after the command (${cliCommand()} <command> ${option} ...); commands: ${Object.keys(commands).join(', ')}`
      : `; did you mean ${near}?`;
  io.stderr.write(`error: unknown option ${option}${advice}\n`);
  return 2;
}

/** Refuses a word that is no command (exit 2), naming the nearest one if any is near. */
function unknownCommand(name: string, io: Omit<CommandIo, 'log'>): number {
  const near = didYouMean(name, Object.keys(commands));
  const advice = near === undefined ? '' : ` (did you mean ${near}?)`;
  io.stderr.write(
    `error: unknown command "${name}"${advice}; commands: ${Object.keys(commands).join(', ')}\n`,
  );
  return 2;
}

/** The loader of a command by its name; undefined for any other word (`toString` too). */
const commandLoader = (name: string): (() => Promise<Command>) | undefined =>
  Object.hasOwn(commands, name) ? commands[name] : undefined;

export async function main(argv: readonly string[], io: Omit<CommandIo, 'log'>): Promise<number> {
  const level: LogLevel = argv.includes('--debug') ? 'debug' : argv.includes('--verbose') ? 'info' : 'silent';
  const args = argv.filter((a) => a !== '--debug' && a !== '--verbose');
  const [name, ...rest] = args;
  const answered = await answerWithoutCommand(name, rest, io, argv);
  if (typeof answered === 'number') return answered;
  const command = await answered();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(command.help);
    return 0;
  }
  // npm keeps options typed before a `--` for itself: run without them, the command would say OK
  // to a check it never made (`npm run cli verify --integrity`).
  const taken = npmTakenOptions(io.env, command.options);
  if (taken.length > 0) {
    io.stderr.write(
      `error: ${npmTakenMessage(io.env, name as string, taken, command.options, platformOf(io))}\n`,
    );
    return 2;
  }
  const modes = windowsModesNote(platformOf(io), name as string, rest, {
    cwd: process.cwd(),
    home: homedir(),
  });
  if (modes !== undefined) io.stderr.write(`${modes}\n`);
  try {
    return await command.run(rest, { ...io, log: consoleLog(level, io.stderr), verbose: level !== 'silent' });
  } catch (error) {
    const message = failureMessage(error);
    if (error instanceof UsageError) {
      const npm =
        error.strayWord && npmRanScript(io.env)
          ? `; ${npmStrayWordAdvice(io.env, name as string, platformOf(io))}`
          : '';
      io.stderr.write(`error: ${message}${npm} (see: ${name} --help)\n`);
      return 2;
    }
    io.stderr.write(`error: ${message}\n`);
    return 1;
  }
}
