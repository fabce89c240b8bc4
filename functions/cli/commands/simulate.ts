import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { DEFAULT_DOC_TIME_ZONE } from '../../core/ingest/ingest-settings.ts';
import { floorHour, HOUR_MS } from '../../core/time-units.ts';
import {
  type FaultOptions,
  generateInstance,
  lateEventsOf,
  OUTAGE_ANSWERS,
  type Outage,
  type OutageAnswer,
  type PlantedPattern,
  playOutages,
  type Simulator,
  type SimulatorOptions,
  startSimulator,
  TIME_FORMATS,
  type TimeFormat,
  writeGroundTruthNdjson,
} from '../../simulator/index.ts';
import { SPRAY_MIN_USERS } from '../../simulator/planted-patterns.ts';
import { type CommandIo, platformOf } from '../command-io.ts';
import { cliCommandAnywhere, powerShellWord, shellWord } from '../command-line.ts';
import { fitProse } from '../fit-prose.ts';
import { type InterruptSource, processInterrupts } from '../interrupts.ts';
import {
  assertFileOption,
  type OptionSpec,
  parseInstant,
  parseOptions,
  parseTimeZone,
  parseWholeNumber,
} from '../options.ts';
import { parseOutageAnswers, parseOutages } from '../outage-option.ts';
import { formatEta } from '../progress.ts';
import { assertSimulationFits, generationNotice } from '../simulation-size.ts';
import { UsageError } from '../usage-error.ts';

export const simulateHelp = `Usage: domo-activity-lake simulate [options]

Runs a simulated Domo instance (POST/GET /oauth/token and GET /v1/audit) on
127.0.0.1 over a seeded synthetic company: users, cards, pages, logins, failed
logins, lockouts, and planted suspicious patterns (a password spray among them
from ${SPRAY_MIN_USERS} users on). Stops on Ctrl-C.

Every entry is held in memory, about 45 per person and day: --days and --users
that together would not fit in node's heap are refused, naming the largest that
fit; a simulation of 300,000 entries or more says so on stderr first.

Options:
  --port <n>               port (default 8080; 0 picks a free one)
  --days <n>               days of activity ending now (default 21)
  --to <time>              end of the simulated activity instead of now
  --seed <n>               seed of the synthetic company and its faults (default
                           42)
  --users <n>              number of users (default 40)
  --time-format <f>        ${TIME_FORMATS.join(' | ')} (default epochMs)
  --doc-time-zone <zone>   zone of docString times (default UTC)
  --faults <level>         none | light | heavy: 429s, 5xx, HTML and truncated
                           answers (default none)
  --messy                  entries with missing, null and extra fields, twins,
                           malformed ones and forwarded-for IP address lists
  --late <fraction>        share of events Domo serves 20-90 min after their
                           time (default 0)
  --outage <start>/<dur>   play an outage: from <start> after the simulator
                           starts, for <dur> (30s/2m, 0/10m; again for more),
                           every request is answered as --outage-answers says
  --outage-answers <a>     ${OUTAGE_ANSWERS.join(' | ')} (default 5xx): 500, 502 or
                           503; 429 with Retry-After: 10; no answer for a
                           minute; or 5xx from the token endpoint alone; or
                           one per --outage, in order: 5xx,hang,429
  --rate-limit <n>         answer 429 (Retry-After: 1) to requests above n a
                           second (default none)
  --client-id <id>         accepted client id (default sim-client)
  --client-secret <s>      accepted client secret (default DOMO_CLIENT_SECRET
                           from the environment, which ps does not show,
                           else sim-secret)
  --export <file>          write the ground truth (NDJSON) to this file (its
                           folders made if missing) and exit
`;

const spec = {
  port: { type: 'string' },
  days: { type: 'string' },
  to: { type: 'string' },
  seed: { type: 'string' },
  users: { type: 'string' },
  'time-format': { type: 'string' },
  'doc-time-zone': { type: 'string' },
  faults: { type: 'string' },
  messy: { type: 'boolean', default: false },
  late: { type: 'string' },
  outage: { type: 'string', multiple: true },
  'outage-answers': { type: 'string' },
  'rate-limit': { type: 'string' },
  'client-id': { type: 'string' },
  'client-secret': { type: 'string' },
  export: { type: 'string' },
} as const;

/** The command's options, for the entry's check of the ones npm took (npm-taken-options.ts). */
export const simulateOptions: OptionSpec = spec;

/** Fault levels for the command line; per-request probabilities of the simulator. */
const FAULT_LEVELS = {
  none: {},
  light: { rate429: 0.02, rate5xx: 0.02, rateHtml: 0.01, rateTruncated: 0.01 },
  heavy: {
    rate429: 0.1,
    rate5xx: 0.1,
    rateHtml: 0.05,
    rateTruncated: 0.05,
    tokenLifetimeSec: 30,
    tokenEndpoint: true,
  },
} as const satisfies Record<string, SimulatorOptions['faults']>;

const MESSY_ENTRIES = {
  omitOptional: 0.03,
  nullOptional: 0.03,
  extraFields: 0.05,
  twins: 0.005,
  malformed: 0.001,
  forwardedFor: 0.02,
} as const satisfies SimulatorOptions['entryVariation'];

interface SimulationChoice {
  seed: number;
  fromMs: number;
  toMs: number;
  users: number;
  timeFormat: TimeFormat;
  docTimeZone: string;
  faults: keyof typeof FAULT_LEVELS;
  messy: boolean;
  /** Share of events served only 20-90 min after their time. */
  late: number;
  /** Requests a second above which the simulator answers 429; undefined: no limit. */
  rateLimit?: number;
  port: number;
  clientId: string;
  clientSecret: string;
  /**
   * The simulated Domo's "now" (default the system clock): the demo gives its own, so that what
   * Domo still keeps (its retention) and what the ingest takes as settled are judged at one time.
   */
  clock?: () => number;
  /** Where the patterns are planted (default the last full ISO week in the range). */
  plantingWeek?: { startMs: number; endMs: number };
  /** The leaver is deactivated after their story, and their token acts on (the demo's). */
  leaverDeactivated?: boolean;
}

/**
 * A simulator started, with the stories planted in its company: the demo names the leaver's user in
 * the query it suggests, which a reader could not otherwise find without reading the whole week.
 */
export interface StartedSimulation extends Simulator {
  planted: readonly PlantedPattern[];
}

/** The faults a simulation starts with, and goes back to after each outage. */
const faultsOf = (choice: Pick<SimulationChoice, 'faults' | 'rateLimit'>): Partial<FaultOptions> => ({
  ...FAULT_LEVELS[choice.faults],
  ...(choice.rateLimit === undefined ? {} : { rateLimitPerSecond: choice.rateLimit }),
});

/** Generates the synthetic company and starts serving it. */
export async function startSimulation(choice: SimulationChoice): Promise<StartedSimulation> {
  const instance = generateInstance({
    seed: choice.seed,
    fromMs: choice.fromMs,
    toMs: choice.toMs,
    users: choice.users,
    ...(choice.plantingWeek ? { plantingWeek: choice.plantingWeek } : {}),
    ...(choice.leaverDeactivated ? { leaverDeactivated: true } : {}),
  });
  const sim = await startSimulator({
    events: instance.events,
    seed: choice.seed,
    port: choice.port,
    timeFormat: choice.timeFormat,
    docStringTimeZone: choice.docTimeZone,
    faults: faultsOf(choice),
    ...(choice.messy ? { entryVariation: MESSY_ENTRIES } : {}),
    ...(choice.late > 0 ? { lateEvents: lateEventsOf(choice.late) } : {}),
    clients: [{ clientId: choice.clientId, clientSecret: choice.clientSecret, scopes: ['audit'] }],
    clock: choice.clock,
  });
  return Object.assign(sim, { planted: instance.planted });
}

export function parseSimulation(
  values: Record<string, string | boolean | undefined>,
  nowMs: number,
  env: NodeJS.ProcessEnv = {},
): SimulationChoice {
  const str = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  const timeFormat = (str('time-format') ?? 'epochMs') as TimeFormat;
  if (!TIME_FORMATS.includes(timeFormat))
    throw new UsageError(`--time-format must be one of ${TIME_FORMATS.join(', ')}`);
  const faults = str('faults') ?? 'none';
  if (!(faults in FAULT_LEVELS)) throw new UsageError('--faults must be none, light or heavy');
  const days = parseWholeNumber('--days', str('days'), 21, { min: 1, max: 365 });
  const toMs = str('to') ? parseInstant('--to', str('to') as string) : nowMs;
  const lateText = str('late') ?? '0';
  const late = Number(lateText);
  if (!/^\d*\.?\d+$/.test(lateText) || !(late >= 0 && late <= 1)) {
    throw new UsageError('--late must be a fraction from 0 to 1, for example 0.05');
  }
  // The bounds of `demo --users`: past them the generator fails (0) or runs for minutes.
  const users = parseWholeNumber('--users', str('users'), 40, { min: 1, max: 1000 });
  assertSimulationFits(days, users);
  return {
    seed: parseWholeNumber('--seed', str('seed'), 42),
    fromMs: floorHour(toMs) - days * 24 * HOUR_MS,
    toMs,
    users,
    timeFormat,
    docTimeZone: parseTimeZone('--doc-time-zone', str('doc-time-zone') ?? 'UTC'),
    faults: faults as keyof typeof FAULT_LEVELS,
    messy: values.messy === true,
    late,
    ...(str('rate-limit') === undefined
      ? {}
      : { rateLimit: parseWholeNumber('--rate-limit', str('rate-limit'), 0, { min: 1 }) }),
    port: parseWholeNumber('--port', str('port'), 8080, { max: 65535 }),
    clientId: str('client-id') ?? 'sim-client',
    // From the environment too: an option's value is on the command line, which `ps` shows any
    // user of the machine (review R-LEAK L).
    clientSecret: str('client-secret') ?? (env.DOMO_CLIENT_SECRET?.trim() || 'sim-secret'),
  };
}

/** Whole days simulated before the hour of `toMs` (the `--days` asked). */
const simulatedDays = (choice: SimulationChoice): number =>
  Math.round((floorHour(choice.toMs) - choice.fromMs) / (24 * HOUR_MS));

const isoSeconds = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

/** An option of a printed command: its flag, and its value unless it is a switch. */
export type CommandOption = readonly [flag: string, value?: string];

/**
 * The ingest options that pull what is simulated. A checkpoint ingest's backfill counts back from
 * now, so it only reaches activity that ends now; activity ending at `--to` is pulled as a range, on
 * the whole hours ingest requires (the last hour rounded up, as it holds events up to `--to`).
 */
function pullRange(choice: SimulationChoice, endsAtTo: boolean): CommandOption[] {
  if (!endsAtTo) return [['--backfill-days', String(simulatedDays(choice) + 1)]];
  const endMs = Math.ceil(choice.toMs / HOUR_MS) * HOUR_MS;
  return [
    ['--from', isoSeconds(choice.fromMs)],
    ['--to', isoSeconds(endMs)],
  ];
}

/**
 * The `--doc-time-zone` ingest needs to read the simulated times, or nothing. Only docString times
 * are wall-clock readings without a zone; ingest reads them in its default zone unless told, and
 * in any other zone they land hours off, many outside the window that asked for them.
 */
function zoneOption(choice: SimulationChoice): CommandOption[] {
  if (choice.timeFormat !== 'docString' || choice.docTimeZone === DEFAULT_DOC_TIME_ZONE) return [];
  return [['--doc-time-zone', choice.docTimeZone]];
}

/**
 * A command for a reader to paste into a shell, over several lines joined by ` \` (backslash and
 * newline, which the shell reads as a space): the environment first (if any), then the command,
 * then each option on a line of its own, indented under it. On one line it ran past the terminal's
 * edge and was folded mid-word, so a reader could not tell one option from the next. Values are
 * quoted for the shell as needed; `env` is printed as given (it may hold a placeholder to fill in).
 */
export function continuedCommand(
  env: string | undefined,
  command: string,
  options: readonly CommandOption[],
): string[] {
  const head = env === undefined ? [command] : [env, `  ${command}`];
  const indent = env === undefined ? '  ' : '    ';
  const lines = [
    ...head,
    ...options.map(
      ([flag, value]) => `${indent}${value === undefined ? flag : `${flag} ${shellWord(value)}`}`,
    ),
  ];
  return lines.map((line, i) => (i < lines.length - 1 ? `${line} \\` : line));
}

/**
 * The ingest command that pulls the simulation, in bash's form or PowerShell's; `secret` undefined
 * when it is the user's own, read from their environment and not printed.
 */
function pullCommand(
  powerShell: boolean,
  choice: SimulationChoice,
  secret: string | undefined,
  options: readonly CommandOption[],
): string[] {
  if (powerShell) {
    // An assignment's value is always quoted: bare, PowerShell would run it as a command.
    const value = (text: string) => `'${text.replaceAll("'", "''")}'`;
    const env = `$env:DOMO_CLIENT_ID=${value(choice.clientId)}${secret === undefined ? '' : `; $env:DOMO_CLIENT_SECRET=${value(secret)}`}`;
    return powerShellCommand(env, `${cliCommandAnywhere(undefined, powerShellWord)} ingest`, options);
  }
  const env = `DOMO_CLIENT_ID=${shellWord(choice.clientId)} DOMO_CLIENT_SECRET=${secret === undefined ? '"$DOMO_CLIENT_SECRET"' : shellWord(secret)}`;
  return continuedCommand(env, `${cliCommandAnywhere()} ingest`, options);
}

/**
 * {@link continuedCommand} for PowerShell: the environment as its own statement (`$env:X='v'`;
 * PowerShell has no `X=v cmd` prefix), the lines continued by a backtick, values quoted for it.
 */
export function powerShellCommand(
  env: string | undefined,
  command: string,
  options: readonly CommandOption[],
): string[] {
  const lines = [
    command,
    ...options.map(([flag, value]) => `  ${value === undefined ? flag : `${flag} ${powerShellWord(value)}`}`),
  ];
  const continued = lines.map((line, i) => (i < lines.length - 1 ? `${line} \`` : line));
  return env === undefined ? continued : [env, ...continued];
}

/** Starts the simulator; a port already taken is a usage error that says what to pass instead. */
async function listening(choice: SimulationChoice): Promise<Simulator> {
  try {
    return await startSimulation(choice);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    throw new UsageError(
      `port ${choice.port} on 127.0.0.1 is in use (another simulate?): pass --port <another>, or --port 0 for any free port`,
    );
  }
}

/** The lake directory the printed command suggests, and the one that comes before it when taken. */
const SUGGESTED_LAKE = './sim-lake';

/**
 * A lake directory for the printed ingest command that does not exist yet (`./sim-lake`, else
 * `./sim-lake-2`, `-3`, …): ingested into an earlier simulation's lake, this one's events would
 * mix with that one's, whose activity ended at another time.
 */
export function freshLakeName(exists: (path: string) => boolean): string {
  for (let n = 1; ; n++) {
    const name = n === 1 ? SUGGESTED_LAKE : `${SUGGESTED_LAKE}-${n}`;
    if (!exists(name)) return name;
  }
}

export async function simulateCommand(
  argv: readonly string[],
  io: CommandIo,
  waitForStop: () => Promise<void> = () => untilInterrupted(io.interrupts ?? processInterrupts),
  exists: (path: string) => boolean = existsSync,
): Promise<void> {
  const { values } = parseOptions(argv, spec);
  const { outage, ...single } = values;
  const choice = parseSimulation(single, Date.now(), io.env);
  const outages = parseOutageAnswers(values['outage-answers'], parseOutages(outage));
  const ownSecret = values['client-secret'] !== undefined || choice.clientSecret !== 'sim-secret';
  // Checked before the simulator starts, as the other values are: a usage error, exit 2.
  const exportTo = values.export === undefined ? undefined : assertFileOption('--export', values.export);
  // A large simulation is generated in silence before anything else is printed.
  const notice = generationNotice(simulatedDays(choice), choice.users);
  if (notice !== undefined) io.stderr.write(`${fitProse(notice, io.stderr)}\n`);
  // An export only needs the ground truth: it listens on any free port, never the asked one.
  const sim = await listening(exportTo === undefined ? choice : { ...choice, port: 0 });
  let stopOutages = () => {};
  try {
    if (exportTo !== undefined) {
      const truth = sim.groundTruth();
      await mkdir(dirname(exportTo), { recursive: true });
      await writeGroundTruthNdjson(exportTo, truth);
      io.stdout.write(`wrote ${truth.length} entries of ground truth to ${exportTo}\n`);
      return;
    }
    const lake = freshLakeName(exists);
    const taken = lake === SUGGESTED_LAKE ? '' : `; ${SUGGESTED_LAKE} is there already`;
    const from = new Date(choice.fromMs).toISOString();
    const to = values.to === undefined ? 'now' : new Date(choice.toMs).toISOString();
    // Windows' shell is PowerShell: no `VAR=x cmd` prefix, no `\` continuation (review R-WINOPS M4).
    const powerShell = platformOf(io) === 'win32';
    // Sentences wrapped to the terminal; the command, one option a line, printed whole.
    const prose = (line: string) => fitProse(line, io.stdout);
    io.stdout.write(
      [
        prose(
          `Simulated Domo listening on ${sim.url} (${sim.groundTruth().length} entries, ${from} .. ${to})`,
        ),
        // A secret of the user's own is not echoed: the command reads it from their environment.
        ...(values['client-secret']
          ? [
              prose(
                `The command reads the secret from your shell: ${powerShell ? "$env:DOMO_CLIENT_SECRET = '<the --client-secret you gave>'" : 'export DOMO_CLIENT_SECRET=<the --client-secret you gave>'} first.`,
              ),
            ]
          : []),
        'Pull it with:',
        // Pasted into another terminal, which may start anywhere: `npx --no` works only inside
        // the checkout (npm asked the registry elsewhere, a 404), and a relative lake would be
        // made wherever it ran, not where it was found fresh (review R-SRE L4).
        ...pullCommand(powerShell, choice, ownSecret ? undefined : choice.clientSecret, [
          ['--api-base', sim.url],
          ['--lake', resolve(lake)],
          ...pullRange(choice, values.to !== undefined),
          ...zoneOption(choice),
        ]).map((line) => `  ${line}`),
        prose(`(a fresh --lake, not the demo's ./lake${taken})`),
        ...outagesPlanned(outages).map(prose),
        'Ctrl-C stops it.',
        '',
      ].join('\n'),
    );
    stopOutages = playOutages(outages, '5xx', faultsOf(choice), {
      setFaults: (faults) => sim.setFaults(faults),
      say: (line) => io.stderr.write(`${line}\n`),
    });
    await waitForStop();
  } finally {
    stopOutages();
    await sim.close();
  }
}

const PLANNED: Record<OutageAnswer, string> = {
  '5xx': 'every request answered with 5xx',
  '429': 'every request answered with 429',
  hang: 'every request answered with silence',
  token: 'every token request answered with 5xx, audit requests as before',
};

/** What the simulation will play, said with the command to pull it: an operator times a rehearsal by it. */
function outagesPlanned(outages: readonly Outage[]): string[] {
  return outages.map(
    ({ startMs, durationMs, answer = '5xx' }) =>
      `Outage planned ${formatEta(startMs)} after start, for ${formatEta(durationMs)}: ${PLANNED[answer]}.`,
  );
}

/** Resolves on the first of the signals a long command stops on (a closed terminal's included). */
const untilInterrupted = (source: InterruptSource) =>
  new Promise<void>((resolve) => {
    const stop = source.listen(() => {
      stop();
      resolve();
    });
  });
