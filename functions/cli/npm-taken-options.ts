import { shellWord } from './command-line.ts';
import type { OptionSpec } from './options.ts';

/**
 * The package.json scripts that run the CLI (`npm run cli ...`, `npm run demo ...`): only under
 * them can npm have taken the command's options for itself.
 */
const CLI_SCRIPTS = new Set(['cli', 'demo']);

/** Whether npm runs the CLI through one of its scripts. */
export const npmRanScript = (env: NodeJS.ProcessEnv): boolean =>
  CLI_SCRIPTS.has(env.npm_lifecycle_event ?? '');

/**
 * A stray word under `npm run` is most likely the value of an option npm kept and left behind
 * (`--format json`, which leaves no other trace): said after the refusal of the word.
 */
export function npmStrayWordAdvice(env: NodeJS.ProcessEnv, command: string, platform: string): string {
  const line = env.npm_lifecycle_event === 'demo' ? 'npm run demo -- ...' : `npm run cli -- ${command} ...`;
  const words = `${env.npm_lifecycle_event === 'demo' ? 'demo' : command} ...`;
  return `if you typed an option before it, npm took that option for itself: put -- before the command's options (${line})${powerShellHint(platform, words)}`;
}

/**
 * On Windows the `--` may be what was typed already: PowerShell runs npm through its npm.ps1 shim,
 * which before npm 11.4 loses the `--` (npm/cli#4903), so the advice would loop. The bin, run with
 * node, takes the options as they are in every shell.
 */
const powerShellHint = (platform: string, words: string): string =>
  platform === 'win32'
    ? `; in PowerShell, where npm drops the --, run node bin\\domo-activity-lake.js ${words} from the checkout`
    : '';

/**
 * The environment variables npm sets when it takes `--<name>` for itself. Mostly
 * `npm_config_<name>` with dashes as underscores (npm 10 and 11 alike), but npm first expands a
 * flag that abbreviates one of its own keys or spells only its one-letter shorthands, so a few of
 * ours arrive as other keys: `--to` is npm 11's `--token-description` (npm 10 keeps `to`), `--days`
 * is `-d -a -y -s` (all and yes set), `--sql` is `-s -q -l` (long set). Each entry is one way
 * npm records the flag; every variable of it must be set. `--format` leaves no trace (npm expands
 * it to format-package-lock, true by default, which it does not export): its value, left behind,
 * meets the refusal of a stray word instead.
 */
function npmTraces(name: string): string[][] {
  const own = [`npm_config_${name.replaceAll('-', '_')}`];
  const expanded: Record<string, string[]> = {
    to: ['npm_config_token_description'],
    days: ['npm_config_all', 'npm_config_yes'],
    sql: ['npm_config_long'],
  };
  const other = expanded[name];
  return other ? [own, other] : [own];
}

/**
 * Options of the CLI that are also keys npm itself defines (checked against npm 10 and 11): npm
 * exports them only when they differ from its default, false, so set means typed on the npm line,
 * or set by the user's npm configuration. Counted all the same, as a refusal the user can get
 * around is better than an `enrich --force` or a `verify --json` silently run without it; the
 * refusal says where else it may have come from.
 */
const NPM_OWN_KEYS = new Set(['json', 'force', 'all']);

/** Whether npm set `variable` to something: an empty value is npm's false (`--no-json`). */
const isSet = (env: NodeJS.ProcessEnv, variable: string): boolean => (env[variable] ?? '') !== '';

/**
 * The options of `spec` (and `--debug`) npm took for itself when it ran the CLI's script with them
 * before a `--` (`npm run cli verify --integrity`): npm keeps them as its configuration, the
 * command never sees them and would run without. Empty when npm did not run the CLI's script.
 */
export function npmTakenOptions(env: NodeJS.ProcessEnv, spec: OptionSpec): string[] {
  if (!npmRanScript(env)) return [];
  // --verbose is not looked for: npm turns it into its log level, which an .npmrc may set as well.
  return [...Object.keys(spec), 'debug'].filter((name) =>
    npmTraces(name).some((variables) => variables.every((variable) => isSet(env, variable))),
  );
}

/**
 * The refusal of options npm took ({@link npmTakenOptions}), with the line that passes them on:
 * `npm run cli -- verify --integrity`. A value npm took along (`--lake=./x`) is shown; one it left
 * behind is not known to be the option's, so a placeholder stands for it.
 */
export function npmTakenMessage(
  env: NodeJS.ProcessEnv,
  command: string,
  taken: readonly string[],
  spec: OptionSpec,
  platform: string,
): string {
  const script = env.npm_lifecycle_event ?? 'cli';
  const flags = taken.map((name) => {
    const value = env[`npm_config_${name.replaceAll('-', '_')}`];
    if (spec[name]?.type !== 'string') return `--${name}`;
    return value !== undefined && value !== 'true' ? `--${name} ${shellWord(value)}` : `--${name} <value>`;
  });
  const words = [script === 'cli' ? command : undefined, ...flags].filter((w) => w !== undefined);
  const own = taken.filter((name) => NPM_OWN_KEYS.has(name));
  const config =
    own.length === 0
      ? ''
      : ` (not typed? then your npm configuration sets ${own.join(', ')}: run npx --no domo-activity-lake ${command} instead)`;
  return `npm took ${flags.map((f) => f.split(' ')[0]).join(' ')} for itself: put -- before the command's options, e.g. npm run ${script} -- ${words.join(' ')}${config}${powerShellHint(platform, [command, ...flags].join(' '))}`;
}
