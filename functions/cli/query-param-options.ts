import { parseUtcInstant } from '../core/domo/utc-instant.ts';
import { utcDate } from '../core/lake/layout.ts';
import { alignPartitionDates } from '../core/queries/partition-dates.ts';
import type { QueryDefinition } from '../core/queries/query-definition.ts';
import { checkParamValue, normalisedParamValue, positionalValues } from '../core/queries/query-params.ts';
import { DAY_MS } from '../core/time-units.ts';
import { shellWord } from './command-line.ts';
import { UsageError } from './usage-error.ts';

/** Options given that the query has no parameter for: they would change nothing. */
export function unusedOptions(
  query: QueryDefinition,
  values: { to?: string; 'time-zone'?: string; instance?: string },
): void {
  // Silently ignored, --instance would make a row of another instance look like one of its own.
  if (values.instance !== undefined && !query.params.includes('instance')) {
    throw new UsageError(
      `${query.name} takes no --instance: it lists every instance of the lake, each row naming its own; leave --instance out (it takes: ${query.params.join(', ')})`,
    );
  }
  const unused = [
    ...(values.to !== undefined && !query.params.some((p) => p.startsWith('to_')) ? ['--to'] : []),
    ...(values['time-zone'] !== undefined && !query.params.includes('time_zone') ? ['--time-zone'] : []),
  ];
  if (unused.length > 0) {
    throw new UsageError(
      `${query.name} takes no ${unused.join(' or ')}: ${unused.length === 1 ? 'it would change nothing; leave it out' : 'they would change nothing; leave them out'} (it takes: ${query.params.join(', ')})`,
    );
  }
}

/**
 * The parameters an option sets, by that option: set by --param too, the last one given silently
 * won over the option, and a --param instance skipped the check that the lake holds it.
 */
const OWN_OPTION: Readonly<Record<string, string>> = {
  instance: '--instance',
  limit: '--limit',
  time_zone: '--time-zone',
  from_ts: '--from',
  to_ts: '--to',
  // The days read follow the period's bounds: one set apart from them only reads days in vain.
  from_dt: '--from',
  to_dt: '--to',
};

/**
 * A value of a period bound's parameter as --from or --to takes it: a timestamp at midnight as its
 * date, any other in ISO form with its Z; a date as the day it starts, but `to_dt` is the last day
 * read, and --to the end, exclusive: the day after. A timestamp as --from takes it (`2026-11-20`,
 * `…T10:00:00+01:00`) stays as it is; `<time>` for any other value.
 */
function boundOption(name: string, value: string): string {
  if (checkParamValue(name, value) !== undefined) {
    return name.endsWith('_ts') && parseUtcInstant(value) !== undefined ? shellWord(value) : '<time>';
  }
  if (name === 'to_dt') return utcDate(Date.parse(`${value}T00:00:00Z`) + DAY_MS);
  if (name === 'from_dt') return value;
  const [date = '', time = ''] = value.split(' ');
  return /^00:00:00(\.0*)?$/.test(time) ? date : `${date}T${time}Z`;
}

/** Refuses a parameter its own option sets, naming that option with the value to give it. */
function assertNoOwnOption(entry: string, name: string, value: string): void {
  const flag = OWN_OPTION[name];
  if (flag === undefined) return;
  const given = flag === '--from' || flag === '--to' ? boundOption(name, value) : shellWord(value);
  throw new UsageError(
    `--param ${JSON.stringify(entry)}: ${name} is set by ${flag}: write ${flag} ${given} instead (--param sets the parameters no option sets)`,
  );
}

export function overrides(query: QueryDefinition, entries: readonly string[]): Record<string, string> {
  const result: Record<string, string> = {};
  for (const entry of entries) {
    const eq = entry.indexOf('=');
    const name = eq === -1 ? entry : entry.slice(0, eq).trim();
    if (eq === -1 || name === '') throw new UsageError(`--param "${entry}" must be name=value`);
    if (!query.params.includes(name)) {
      throw new UsageError(
        `query ${query.name} has no parameter "${name}"; it takes: ${query.params.join(', ')}`,
      );
    }
    const value = entry.slice(eq + 1);
    assertNoOwnOption(entry, name, value);
    // Checked here, before any lake or engine is opened, as every other option value is.
    const problem = checkParamValue(name, value);
    if (problem) throw new UsageError(`--param ${JSON.stringify(entry)}: ${problem}`);
    // As an option given twice: the last would silently win over the one the user meant.
    const earlier = result[name];
    if (earlier !== undefined && earlier !== value) {
      throw new UsageError(
        `--param sets ${name} twice, as ${shellWord(earlier)} and as ${shellWord(value)}: it takes one value; keep the one you mean`,
      );
    }
    // An IPv6 address in the spelling whose every spelling the query finds (address-param.ts).
    result[name] = normalisedParamValue(name, value);
  }
  return result;
}

/**
 * Every parameter `query` runs with: the options' (`standard`), then --param's (`extra`), the
 * days read aligned to the period's bounds; refuses one the query needs that neither gave.
 */
export function namedParams(
  query: QueryDefinition,
  standard: Record<string, string>,
  extra: Record<string, string>,
): Record<string, string> {
  // address_activity of a network owner alone: no address to match.
  const pivot: Record<string, string> =
    (extra.asn ?? '') !== '' && extra.address === undefined ? { address: '' } : {};
  const all = { ...standard, ...pivot, ...extra };
  const aligned = alignPartitionDates(all, new Set(Object.keys(extra)));
  // Only --param gives what the period and options do not (user_activity's user_id): say so,
  // rather than quote an empty --param the user never typed.
  const missing = query.params.find((param) => aligned[param] === undefined);
  if (missing === 'address' && query.params.includes('asn')) {
    throw new UsageError(
      `query ${query.name} needs --param address=<ip> or --param asn=<number> (it takes: ${query.params.join(', ')})`,
    );
  }
  if (missing !== undefined) {
    throw new UsageError(
      `query ${query.name} needs --param ${missing}=<value> (it takes: ${query.params.join(', ')})`,
    );
  }
  positionalValues(query, aligned);
  return aligned;
}
