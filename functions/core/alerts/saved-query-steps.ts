/**
 * The next steps as the stack's saved Athena queries: each query next-steps.ts chooses, with the
 * value each of its parameters takes, quoted as the console takes them (docs/queries.md, "In the
 * Athena console (saved queries)"). The deployed message's, and the message of a run over a lake
 * in S3 (next-steps-mail.ts). A zone is given as Athena's engine knows it (Europe/Kyiv is
 * 'Europe/Kiev' there, athena-zone-names.ts): the name configured would fail the query.
 */
import { athenaTimeZone } from '../athena-zone-names.ts';
import { standardParams } from '../queries/query-params.ts';
import type { NextSteps, NextStepsWording } from './next-steps.ts';

/** The values every query takes: the instance and the period. */
const PERIOD_PARAMS = ['instance', 'from_dt', 'to_dt', 'from_ts', 'to_ts'] as const;

/**
 * The other parameters of each query next-steps.ts may choose, as its file's `-- params:` line
 * lists them (test/core/alerts/next-steps-mail.test.ts holds them equal to the catalog's, which
 * the core does not read): the console asks for every one, those the command line fills by
 * default too.
 */
export const SAVED_QUERY_PARAMS: Readonly<Record<string, readonly string[]>> = {
  user_activity: ['user_id', 'named', 'time_zone', 'max_rows', 'keep_rows'],
  admin_changes: ['max_rows', 'keep_rows', 'doer_id', 'time_zone'],
  data_movement: ['doer_id'],
  suspicious_logins: [
    'history_from_dt',
    'history_from_ts',
    'time_zone',
    'min_history_logins',
    'max_speed_kmh',
    'max_rows',
    'doer_id',
  ],
  user_addresses: ['user_id', 'time_zone'],
  address_activity: ['address', 'asn', 'time_zone', 'max_rows', 'keep_rows'],
};

/** A value as the console takes it: a SQL literal. */
const literal = (value: string): string => `'${value}'`;

/**
 * `  name 'value'`, one a line, unaligned: aligned, suspicious_logins' `history_from_ts` and its
 * timestamp took 47 columns, and wrapped inside the timestamp in a 375-px phone's box.
 */
const valueLines = (entries: readonly (readonly [string, string])[]): string[] =>
  entries.map(([name, value]) => `  ${name} ${literal(value)}`);

/** A query's own value `value` of `name` as the console takes it: a zone by Athena's name for it. */
const consoleValue = (name: string, value: string): string =>
  name === 'time_zone' ? athenaTimeZone(value) : value;

/**
 * The lines of the saved queries: the values every one takes, then each query's own, its
 * defaults filled in as the command line fills them (address_activity's other of `address` and
 * `asn` empty, any).
 */
export function savedQueryLines(steps: NextSteps): string[] {
  const configured = steps.queries.flatMap((q) => q.params.filter(([name]) => name === 'time_zone'))[0]?.[1];
  const zone = configured === undefined ? undefined : athenaTimeZone(configured);
  const all: Record<string, string> = {
    ...standardParams({
      instance: steps.instance,
      fromMs: steps.fromMs,
      toMs: steps.toMs,
      ...(zone === undefined ? {} : { timeZone: zone }),
    }),
    address: '',
  };
  const lines = ['Every query:', ...valueLines(PERIOD_PARAMS.map((name) => [name, all[name] ?? '']))];
  for (const query of steps.queries) {
    const given = new Map(query.params.map(([name, value]) => [name, consoleValue(name, value)]));
    const names = SAVED_QUERY_PARAMS[query.name] ?? [];
    lines.push(
      '',
      `${query.name}:`,
      ...valueLines(names.map((name) => [name, given.get(name) ?? all[name] ?? ''])),
    );
  }
  return lines;
}

/** Deployed: the stack's saved queries, in the workgroup `where` names. */
export const savedQueries = (where: string): NextStepsWording => ({
  how: `open each of these saved queries in Athena's Saved queries tab (${where}), choose Run and give each parameter the value shown, quotes included (one asked more than once takes the same value each time)`,
  lines: savedQueryLines,
});
