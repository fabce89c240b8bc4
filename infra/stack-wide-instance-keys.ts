/**
 * Settings an org of several Domo instances may want per instance but the stack holds once (one
 * report function and schedule, one sizing of each function kind): under `instances[]` each is
 * refused with where it is set and the way out, a stack each, rather than "remove it" (review
 * R-MULTI M2). `docTimeZone` is no such key: an instance entry takes it.
 */
const STACK_WIDE: Readonly<Record<string, string>> = {
  timeZone: "report.timeZone (the reported week and the alerts' clock)",
  recipients: 'report.recipients and alerts.recipients',
  sender: 'report.sender and alerts.sender',
  schedule: 'ingest.schedule and report.schedule',
  memoryMb: 'ingest.memoryMb and alerts.memoryMb',
  timeoutMinutes: 'ingest.timeoutMinutes',
  backfillDays: 'ingest.backfillDays',
};

/** The keys of `keys` that are stack-wide settings, each with the reason it is refused. */
export function stackWideKeyProblems(keys: readonly string[]): { problems: string[]; rest: string[] } {
  const problems: string[] = [];
  const rest: string[] = [];
  for (const key of keys) {
    const where = STACK_WIDE[key];
    if (where === undefined) rest.push(key);
    else
      problems.push(
        `"${key}" is set for the whole stack, in ${where}, not per instance: instances that need different values go in separate stacks (docs/configuration.md "Several instances")`,
      );
  }
  return { problems, rest };
}
