/**
 * EventBridge Scheduler's rules for `rate(...)` and `cron(...)` expressions, checked at synth so that
 * a schedule the service would refuse at deploy fails `cdk synth` instead, with the reason.
 *
 * cron(minutes hours day-of-month month day-of-week year), as the EventBridge cron reference gives it:
 * | field        | values            | wildcards      |
 * | minutes      | 0-59              | , - * /        |
 * | hours        | 0-23              | , - * /        |
 * | day-of-month | 1-31              | , - * ? / L W  |
 * | month        | 1-12 or JAN-DEC   | , - * /        |
 * | day-of-week  | 1-7 or SUN-SAT    | , - * ? L #    |
 * | year         | 1970-2199         | , - * /        |
 * and exactly one of day-of-month and day-of-week is `?`.
 */

interface CronField {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
  slash: boolean;
  question: boolean;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] as const;
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;

const FIELDS: readonly CronField[] = [
  { name: 'minutes', min: 0, max: 59, slash: true, question: false },
  { name: 'hours', min: 0, max: 23, slash: true, question: false },
  { name: 'day-of-month', min: 1, max: 31, slash: true, question: true },
  { name: 'month', min: 1, max: 12, names: MONTHS, slash: true, question: false },
  { name: 'day-of-week', min: 1, max: 7, names: DAYS, slash: false, question: true },
  { name: 'year', min: 1970, max: 2199, slash: true, question: false },
];

const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const EXAMPLE = 'cron(0 7 ? * MON *)';

/** The expressions a message about a malformed one offers: a field's own, which it accepts. */
export interface ScheduleExamples {
  rate: string;
  cron: string;
}

const EXAMPLES: ScheduleExamples = { rate: 'rate(15 minutes)', cron: EXAMPLE };

/** The number a value names (`7`, `MON`, `jan`), or undefined when it names none of the field's values. */
function fieldValue(text: string, field: CronField): number | undefined {
  const index = field.names?.indexOf(text.toUpperCase() as never) ?? -1;
  if (index !== -1) return index + field.min;
  if (!/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return n >= field.min && n <= field.max ? n : undefined;
}

const range = (field: CronField): string =>
  `${field.min}-${field.max}${field.names ? ` or ${field.names[0]}-${field.names[field.names.length - 1]}` : ''}`;

/** Day-of-month's own forms `L`, `LW` and `15W`; null when `item` is none of them. */
function dayOfMonthForm(item: string, field: CronField): string | undefined | null {
  if (item === 'L' || item === 'LW') return undefined;
  const weekday = /^(\d+)W$/.exec(item);
  if (!weekday) return null;
  return fieldValue(weekday[1] ?? '', field) === undefined ? `"${item}": W needs a day 1-31` : undefined;
}

/** Day-of-week's own forms `L`, `6L` and `2#1`; null when `item` is none of them. */
function dayOfWeekForm(item: string, field: CronField): string | undefined | null {
  if (item === 'L') return undefined;
  const last = /^(\w+)L$/.exec(item);
  if (last) {
    return fieldValue(last[1] ?? '', field) === undefined
      ? `"${item}": L needs a day ${range(field)}`
      : undefined;
  }
  const nth = /^(\w+)#(\d+)$/.exec(item);
  if (!nth) return null;
  const ok = fieldValue(nth[1] ?? '', field) !== undefined && /^[1-5]$/.test(nth[2] ?? '');
  return ok ? undefined : `"${item}": write <day>#<1-5>, e.g. 2#1 for the first Monday`;
}

/** A day field's own form: its problem, undefined when valid, null when `item` is no such form. */
function specialDayProblem(item: string, field: CronField): string | undefined | null {
  if (field.name === 'day-of-month') return dayOfMonthForm(item, field);
  if (field.name === 'day-of-week') return dayOfWeekForm(item, field);
  return null;
}

/** One comma-separated item of a field: `*`, `5`, `1-5`, `MON-FRI`, `*\/15`, `0/10`, or a day form. */
function itemProblem(item: string, field: CronField): string | undefined {
  const special = specialDayProblem(item, field);
  if (special !== null) return special;
  const [base = '', step, ...extra] = item.split('/');
  if (step !== undefined) {
    if (!field.slash) return `"${item}": "/" is not allowed in ${field.name}`;
    if (extra.length > 0 || !/^\d+$/.test(step) || Number(step) < 1)
      return `"${item}": the step after "/" must be a whole number of at least 1`;
  }
  if (base === '*') return undefined;
  const ends = base.split('-');
  if (ends.length > 2 || ends.some((end) => fieldValue(end, field) === undefined)) {
    return `"${item}" is not a value or range of ${field.name} (${range(field)})`;
  }
  return undefined;
}

function fieldProblem(text: string, field: CronField): string | undefined {
  if (text === '?')
    return field.question
      ? undefined
      : `"?" is allowed only in day-of-month and day-of-week, not in ${field.name}`;
  const items = text.split(',');
  if (field.name === 'day-of-week' && items.length > 1 && text.includes('#')) {
    return `"${text}": with "#" day-of-week takes a single expression`;
  }
  for (const item of items) {
    const problem = itemProblem(item, field);
    if (problem) return `${field.name} ${problem}`;
  }
  return undefined;
}

/** Exactly one of day-of-month and day-of-week is `?`: the other says which days. */
function dayFieldsProblem(dayOfMonth: string, dayOfWeek: string): string | undefined {
  if (dayOfMonth === '?' && dayOfWeek === '?') {
    return 'day-of-month and day-of-week are both "?": one of them must say which days, e.g. "*" in day-of-month for every day';
  }
  if (dayOfMonth !== '?' && dayOfWeek !== '?') {
    return `day-of-month "${dayOfMonth}" and day-of-week "${dayOfWeek}" are both set: one of them must be "?" (e.g. "${EXAMPLE}" for Mondays, "cron(0 7 * * ? *)" for every day)`;
  }
  return undefined;
}

function cronProblem(body: string, example: string): string | undefined {
  const fields = body.trim().split(/\s+/);
  if (fields.length !== FIELDS.length) {
    return `has ${fields.length} field(s); a cron expression has six: minutes hours day-of-month month day-of-week year, e.g. "${example}"`;
  }
  for (const [index, field] of FIELDS.entries()) {
    const problem = fieldProblem(fields[index] ?? '', field);
    if (problem) return problem;
  }
  return dayFieldsProblem(fields[2] ?? '', fields[4] ?? '');
}

function rateProblem(expression: string, example: string): string | undefined {
  const match = RATE.exec(expression);
  if (!match) return `must be "rate(<n> minutes|hours|days)", e.g. "${example}"`;
  const amount = Number(match[1]);
  const singular = !(match[2] ?? '').endsWith('s');
  if (amount < 1) return 'must run at least every 1 unit: the amount must be 1 or more';
  if (singular !== (amount === 1)) {
    const unit = (match[2] ?? '').replace(/s$/, '');
    // The plural example must not be the value just refused ("rate(1 hours)").
    const plural = amount === 1 ? 2 : amount;
    return `must use "${unit}" when the amount is 1 and "${unit}s" otherwise, e.g. "rate(1 ${unit})", "rate(${plural} ${unit}s)"`;
  }
  return undefined;
}

/**
 * Why EventBridge Scheduler would refuse `expression` as a recurring schedule, or undefined when it
 * follows the service's rules; a malformed one is offered `examples`.
 */
export function scheduleExpressionProblem(
  expression: string,
  examples: ScheduleExamples = EXAMPLES,
): string | undefined {
  if (expression.startsWith('rate(')) return rateProblem(expression, examples.rate);
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (cron) return cronProblem(cron[1] ?? '', examples.cron);
  return `must be "rate(<n> minutes|hours|days)" or a six-field "cron(minutes hours day-of-month month day-of-week year)", e.g. "${examples.rate}" or "${examples.cron}"`;
}
