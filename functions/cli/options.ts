import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { unexpandedHomeReason } from '../adapters/lake-location.ts';
import { didYouMean } from '../core/did-you-mean.ts';
import { parseCategoryRules } from '../core/domo/category-rules.ts';
import { parseUtcInstant, UTC_INSTANT_EXAMPLES, UTC_INSTANT_RULE } from '../core/domo/utc-instant.ts';
import { errorMessage } from '../core/error-message.ts';
import { isMailAddress } from '../core/mail-address.ts';
import { HOUR_MS, MINUTE_MS, SECOND_MS } from '../core/time-units.ts';
import { fixedOffsetAdvice } from '../core/zone-abbreviations.ts';
import { canonicalTimeZone } from '../core/zoned-time.ts';
import { shellWord } from './command-line.ts';
import { fileOnPath } from './file-on-path.ts';
import { readJsonFile } from './json-file.ts';
import { UsageError } from './usage-error.ts';

export type OptionSpec = Record<
  string,
  { type: 'string' | 'boolean'; short?: string; default?: string | boolean; multiple?: boolean }
>;

/**
 * A word after a string option that starts with a dash but cannot be an option: a negative number
 * (`--limit -3`), or a word whose part before any `=` holds whitespace (`--sql "-- why\nSELECT
 * ..."`, a SQL comment first), as no option name does. Node's parser calls both "ambiguous" and
 * refuses them. Any other word starting with a dash stays an option, so `--sql --format csv` is
 * still refused as a missing value, and a mistyped option (`--sql --fromat csv`) is not taken for
 * the value silently.
 */
const cannotBeOption = (word: string): boolean => /^-\d/.test(word) || /\s/.test(word.split('=')[0] ?? '');

/**
 * Joins each such word to its option (`--limit=-3`, as the user could have written it), so node's
 * parser takes it as the value and the option's own check names it.
 */
function joinValuesThatCannotBeOptions(argv: readonly string[], spec: OptionSpec): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    // After a lone `--` every word is positional, whatever it looks like: nothing is joined.
    if (arg === '--') return [...out, ...argv.slice(i)];
    const next = argv[i + 1];
    const name = arg.startsWith('--') ? arg.slice(2) : undefined;
    if (name && spec[name]?.type === 'string' && next?.startsWith('-') && cannotBeOption(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

/**
 * A path or an S3 location, not a stray word: `./lake`, `lake`, `/data/lake`, `s3://bucket/prefix`.
 * A word starting with `-` is a flag made positional by `--` (`status -- --lake x`): advising
 * `--lake --lake` for it would be nonsense.
 */
const looksLikeLake = (word: string): boolean => !word.startsWith('-') && /^(s3:\/\/|[.~/])|lake/i.test(word);

/** node's parse errors, reworded: one sentence, the flag as typed, no nested quotes. */
function parseErrorMessage(
  error: Error & { code?: string },
  argv: readonly string[],
  spec: OptionSpec,
): string {
  const option = /'(-[^' ]+)/.exec(error.message)?.[1];
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const typed = option ?? argv.find((a) => a.startsWith('-')) ?? '';
      return `unknown option ${typed}${optionAdvice(typed, spec)}`.trimEnd();
    }
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL': {
      const word = /'([^']*)'/.exec(error.message)?.[1] ?? '';
      // `verify ./lake` is the commonest slip: a command that reads a lake takes it as --lake.
      const lake = spec.lake && looksLikeLake(word) ? `; for a lake, write --lake ${shellWord(word)}` : '';
      return `unexpected argument ${word}: this command takes options only${lake}`;
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return /does not take/.test(error.message)
        ? `${option} is a switch and takes no value`
        : `${option} needs a value${/ambiguous/.test(error.message) ? dashValueAdvice(option) : ''}`;
    default:
      return error.message;
  }
}

/**
 * Said when the word after the option starts with a dash and was taken for an option: how to give
 * such a value all the same. The word itself is not repeated (the option may take a secret).
 */
const dashValueAdvice = (option: string | undefined): string =>
  `: the word after it starts with a dash and is read as an option; a value that starts with a dash goes as ${option}=<value>`;

/**
 * What an unknown option probably was: the other spelling of JSON output (`--json` on some
 * commands, `--format json` on others), where the Domo client's credentials come from on a command
 * that takes them (no flag holds them: shell history and `ps` would keep the secret), else the
 * nearest option of this command.
 */
function optionAdvice(typed: string, spec: OptionSpec): string {
  const name = typed.replace(/^--?/, '').split('=')[0] ?? '';
  if (name === 'json' && spec.format) return '; did you mean --format json?';
  if (name === 'format' && spec.json) return '; did you mean --json?';
  if (spec['secret-id'] && /^client[-_]?(secret|id)$/i.test(name)) {
    return '; the client id and secret come from DOMO_CLIENT_ID and DOMO_CLIENT_SECRET, or from a Secrets Manager secret named by --secret-id';
  }
  if (!typed.startsWith('--')) return '';
  const near = didYouMean(name, Object.keys(spec));
  return near === undefined ? '' : `; did you mean --${near}?`;
}

/** Parses a command's options strictly, turning node's parse errors into usage errors. */
export function parseOptions<T extends OptionSpec>(
  argv: readonly string[],
  spec: T,
  allowPositionals = false,
) {
  const args = joinValuesThatCannotBeOptions(argv, spec);
  const { values, positionals, tokens } = (() => {
    try {
      return parseArgs({ args, options: spec, allowPositionals, strict: true, tokens: true });
    } catch (error) {
      const stray = (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL';
      throw new UsageError(parseErrorMessage(error as Error, args, spec), stray);
    }
  })();
  assertGivenOnce(tokens, spec);
  return { values, positionals };
}

/**
 * Options whose value may be a secret (`--client-secret`): a refusal names them, never their
 * values, which would land in a terminal's scrollback or a CI log.
 */
const SECRET_OPTION = /secret|password|token/i;

/**
 * Refuses a single-valued option given twice with different values (`--lake a --lake b`): node's
 * parser keeps the last, so the run would silently ignore one the user meant. The same value twice
 * (a line built by a script) is harmless; options declared `multiple` are meant to repeat.
 */
function assertGivenOnce(
  tokens: readonly { kind: string; name?: string; value?: string | undefined }[],
  spec: OptionSpec,
): void {
  const seen = new Map<string, (string | undefined)[]>();
  for (const token of tokens) {
    if (token.kind !== 'option' || token.name === undefined || spec[token.name]?.multiple) continue;
    seen.set(token.name, [...(seen.get(token.name) ?? []), token.value]);
  }
  for (const [name, values] of seen) {
    const distinct = [...new Set(values)];
    if (distinct.length < 2) continue;
    const shown = SECRET_OPTION.test(name)
      ? 'with different values (not shown: they may be secret)'
      : `as ${distinct.map((value) => shellWord(value ?? '')).join(' and as ')}`;
    throw new UsageError(
      `--${name} is given ${values.length} times, ${shown}: it takes one value; keep the one you mean`,
    );
  }
}

/**
 * The one place a bad option value becomes a usage error (exit 2): `parse` may throw anything, the
 * message then starts with the flag as the user typed it, never a configuration key.
 */
export function optionValue<T>(flag: string, value: string, parse: (value: string) => T): T {
  try {
    return parse(value);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    // Escaped, not cut at the first line break: a parser's message quotes the value it read
    // (JSON.parse's `"hi\n" is not valid JSON`), and its reason comes after the break.
    const reason = errorMessage(error).replace(/\r/g, '\\r').replace(/\n/g, '\\n');
    throw new UsageError(`${flag} ${JSON.stringify(value)}: ${reason}`);
  }
}

/** The flags among `names` the user gave (a boolean counts when true), as typed: `--name`. */
export const givenFlags = <K extends string>(
  values: Partial<Record<K, unknown>>,
  names: readonly K[],
): string[] =>
  names.filter((name) => values[name] !== undefined && values[name] !== false).map((name) => `--${name}`);

/**
 * A UTC instant from the command line (see {@link parseUtcInstant}: an ISO 8601 time with a zone,
 * or a bare `YYYY-MM-DD` meaning midnight UTC; no zone-less time, no date that does not exist), or
 * a usage error naming the flag.
 */
export function parseInstant(flag: string, value: string): number {
  const ms = parseUtcInstant(value);
  if (ms === undefined) {
    throw new UsageError(
      `${flag} "${value}" is not a valid UTC time: use ${UTC_INSTANT_EXAMPLES}, ${UTC_INSTANT_RULE}`,
    );
  }
  return ms;
}

/** `--from`/`--to` given together (or neither), as whole UTC hours in order. */
export function parseHourRange(
  from: string | undefined,
  to: string | undefined,
): { fromMs: number; toMs: number } | undefined {
  if ((from === undefined) !== (to === undefined)) {
    throw new UsageError('--from and --to go together: give both for a range, or neither');
  }
  if (from === undefined || to === undefined) return undefined;
  const range = { fromMs: parseInstant('--from', from), toMs: parseInstant('--to', to) };
  if (range.fromMs % HOUR_MS !== 0 || range.toMs % HOUR_MS !== 0) {
    throw new UsageError(
      '--from and --to must fall on whole UTC hours (for example 2026-10-01T00:00:00Z): the lake stores one object per hour',
    );
  }
  if (range.toMs <= range.fromMs) throw new UsageError('--to must be after --from');
  return range;
}

/** A whole number option within `[min, max]` (default: any non-negative safe integer). */
export function parseWholeNumber(
  flag: string,
  value: string | undefined,
  fallback: number,
  range: { min?: number; max?: number; why?: string } = {},
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  const { min = 0, max = Number.MAX_SAFE_INTEGER, why } = range;
  const bounds =
    max === Number.MAX_SAFE_INTEGER ? (min > 0 ? ` of at least ${min}` : '') : ` from ${min} to ${max}`;
  if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`${flag} "${value}" must be a whole number${bounds}${why ? ` (${why})` : ''}`);
  }
  return n;
}

/** `90s`, `10m`, `2h` or plain seconds. */
export function parseDuration(flag: string, value: string): number {
  const match = /^(\d+)\s*(ms|s|m|h)?$/.exec(value.trim());
  if (!match) throw new UsageError(`${flag} "${value}" must be a duration like 90s, 10m or 2h`);
  const unit = { ms: 1, s: SECOND_MS, m: MINUTE_MS, h: HOUR_MS }[match[2] ?? 's'] ?? SECOND_MS;
  const ms = Number(match[1]) * unit;
  // A run given no time would pull nothing and then blame Domo for its lack of progress.
  if (ms === 0) throw new UsageError(`${flag} "${value}" must be longer than 0, e.g. 10m`);
  return ms;
}

/** `--category-rules <file>`: read, parsed as JSON and checked rule by rule, all as usage errors. */
export function readCategoryRulesFile(path: string) {
  return optionValue('--category-rules', path, (file) => parseCategoryRules(readJsonFile(file), 'rule'));
}

/**
 * A directory option the command will create or write into: a file in its place (or in the way on
 * its path) is a usage error naming the flag, not a raw ENOTDIR or EEXIST later on.
 */
export function assertDirectoryOption(flag: string, path: string): string {
  // An empty value (`--out "$UNSET"`) would be the working directory, written into unasked.
  if (path.trim() === '') throw new UsageError(`${flag} is empty: pass a directory (created if missing)`);
  const home = unexpandedHomeReason(path);
  if (home) throw new UsageError(`${flag} ${JSON.stringify(path)}: ${home}`);
  try {
    if (!statSync(path).isDirectory()) {
      throw new UsageError(
        `${flag} ${path} is a file, not a directory: pass a directory (created if missing)`,
      );
    }
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') {
      const file = fileOnPath(path);
      throw new UsageError(
        `${flag} ${path}: ${file ?? 'a part of that path'} is a file, not a directory: pass a directory (created if missing)`,
      );
    }
    if (code !== 'ENOENT') throw error;
  }
  return path;
}

/** What a file option takes, for its refusals. */
const FILE_WANTED = 'pass a file (created, with its folders, if missing)';

/**
 * A file option the command will write (its folders made if missing): a directory in its place, or
 * a file on its path, is a usage error naming the flag, not a raw EISDIR or ENOTDIR once the work
 * is done.
 */
export function assertFileOption(flag: string, path: string): string {
  // An empty value (`--export "$UNSET"`) names no file at all.
  if (path.trim() === '') throw new UsageError(`${flag} is empty: ${FILE_WANTED}`);
  const home = unexpandedHomeReason(path);
  if (home) throw new UsageError(`${flag} ${JSON.stringify(path)}: ${home}`);
  // A trailing separator names a directory whether or not it exists yet.
  if (/[/\\]$/.test(path)) throw new UsageError(`${flag} ${path} names a directory: ${FILE_WANTED}`);
  try {
    if (statSync(path).isDirectory()) throw new UsageError(`${flag} ${path} is a directory: ${FILE_WANTED}`);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') {
      const file = fileOnPath(dirname(path));
      throw new UsageError(
        `${flag} ${path}: ${file ?? 'a part of that path'} is a file, not a directory: ${FILE_WANTED}`,
      );
    }
    if (code !== 'ENOENT') throw error;
  }
  return path;
}

/**
 * An IANA time zone from the command line, in its primary spelling (`europe/paris` is read as
 * `Europe/Paris`, `US/Eastern` as `America/New_York`): the spelling the deployed stack's settings
 * require, so what a report, query or alert run names is what `cdk.json` takes, and every output
 * shows one name for one zone.
 */
export function parseTimeZone(flag: string, value: string): string {
  const zone = canonicalTimeZone(value);
  if (zone === undefined) {
    throw new UsageError(
      `${flag} ${JSON.stringify(value)}: time zone "${value}" is not a known IANA zone name (for example "UTC" or "America/Denver")`,
    );
  }
  // EST, MST and Etc/GMT+5 are valid names of fixed offsets, but whoever writes them mostly means
  // local time, or (Etc/GMT's sign being inverted) the opposite offset.
  const advice = fixedOffsetAdvice(value, zone);
  if (advice) throw new UsageError(`${flag} ${JSON.stringify(value)}: the zone ${advice}`);
  return zone;
}

const MAIL_ADDRESS_EXAMPLE =
  'write one such as security@example.com or "Security team <security@example.com>"';

/** One mail address from the command line, bare or with a display name; trimmed. */
export function parseMailAddress(flag: string, value: string): string {
  return optionValue(flag, value, (text) => {
    if (text.trim() === '') throw new Error(`no address given: ${MAIL_ADDRESS_EXAMPLE}`);
    if (!isMailAddress(text)) throw new Error(`not an email address: ${MAIL_ADDRESS_EXAMPLE}`);
    return text.trim();
  });
}

/**
 * The addresses of a repeatable option, each value one address or a comma-separated list of them
 * (as the report function's recipients are configured). A comma inside double quotes belongs to a
 * display name (`"Doe, Jane" <jane@example.com>`); an empty entry is refused, not skipped, since it
 * most likely stands for an address lost on the way (an unset shell variable).
 */
export function parseMailAddressList(flag: string, values: readonly string[]): string[] {
  return values.flatMap((value) => {
    const entries = splitOutsideQuotes(value);
    if (entries.length === 1) return [parseMailAddress(flag, value)];
    if (entries.some((entry) => entry.trim() === '')) {
      throw new UsageError(
        `${flag} ${JSON.stringify(value)}: the list has an empty entry: separate the addresses with single commas, or repeat ${flag}`,
      );
    }
    return entries.map((entry) => listEntry(flag, value, entry));
  });
}

/** One entry of a comma-separated list: the message names the entry and the whole value. */
function listEntry(flag: string, value: string, entry: string): string {
  if (isMailAddress(entry)) return entry.trim();
  throw new UsageError(
    `${flag} ${JSON.stringify(value)}: ${JSON.stringify(entry.trim())} is not an email address: ${MAIL_ADDRESS_EXAMPLE}`,
  );
}

/** `text` split at the commas that are not inside double quotes. */
function splitOutsideQuotes(text: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    if (char === ',' && !quoted) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  parts.push(current);
  return parts;
}
