/**
 * Settings an org of several Domo instances may want per instance but the stack holds once (one
 * report function and schedule, one sizing of each function kind): under `instances[]` each is
 * refused with where it is set and the way out, a stack each, rather than "remove it" (review
 * R-MULTI M2). `docTimeZone` is no such key: an instance entry takes it. Nor are the report's zone
 * and recipients, which an instance sets in its `report` object: written beside it, they are
 * pointed there.
 */
const STACK_WIDE: Readonly<Record<string, string>> = {
  sender: 'report.sender and alerts.sender',
  schedule: 'ingest.schedule and report.schedule',
  memoryMb: 'ingest.memoryMb and alerts.memoryMb',
  timeoutMinutes: 'ingest.timeoutMinutes',
  backfillDays: 'ingest.backfillDays',
  // Whole sections a provider writes in a customer's entry, expecting that customer's own alerts,
  // alarms or schedule (review R-MSP2 L1): "unknown key" told nothing of where they are.
  alerts:
    'the alerts section, whose recipients and email get every instance\'s alerts (an alerts.expected rule takes "instance")',
  alarms: "the alarms section, whose email gets every instance's alarms",
  ingest: 'the ingest section (an instance takes its own docTimeZone)',
};

/** Keys an instance takes inside its `report` object, over the stack-wide report key. */
const IN_INSTANCE_REPORT: Readonly<Record<string, string>> = {
  timeZone: `the zone its weekly report shows, over report.timeZone (the alerts' clock and the report's schedule stay report.timeZone's)`,
  recipients:
    'who gets its weekly report, over report.recipients (alerts.recipients stays for the whole stack)',
};

/** The problem of a key written beside an instance's `report` object rather than in it. */
const inReportProblem = (key: string, what: string): string =>
  `"${key}" goes in the instance's "report" object, as "report": { "${key}": … }: ${what}`;

/** The keys of `keys` that are stack-wide settings, each with the reason it is refused. */
export function stackWideKeyProblems(keys: readonly string[]): { problems: string[]; rest: string[] } {
  const problems: string[] = [];
  const rest: string[] = [];
  for (const key of keys) {
    const where = STACK_WIDE[key];
    const inReport = IN_INSTANCE_REPORT[key];
    if (inReport !== undefined) problems.push(inReportProblem(key, inReport));
    else if (where === undefined) rest.push(key);
    else
      problems.push(
        `"${key}" is set for the whole stack, in ${where}, not per instance: instances that need different values go in separate stacks (docs/configuration.md "Several instances")`,
      );
  }
  return { problems, rest };
}

/**
 * The keys of `keys` (written in an instance's `report` object) that are keys of the stack's
 * report section (`reportKeys`) an instance cannot set: the report is one function, sent from one
 * address on one schedule.
 */
export function instanceReportKeyProblems(
  keys: readonly string[],
  reportKeys: readonly string[],
): { problems: string[]; rest: string[] } {
  const problems: string[] = [];
  const rest: string[] = [];
  for (const key of keys) {
    if (reportKeys.includes(key))
      problems.push(
        `"${key}" is set for the whole stack, in report.${key}, not per instance: an instance's report takes only its own recipients and timeZone; instances that need different values go in separate stacks (docs/configuration.md "Several instances")`,
      );
    else rest.push(key);
  }
  return { problems, rest };
}
