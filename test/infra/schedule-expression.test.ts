import { describe, expect, it } from 'vitest';
import { scheduleExpressionProblem } from '../../infra/schedule-expression.ts';

describe('EventBridge Scheduler expressions', () => {
  it.each([
    'rate(1 minute)',
    'rate(15 minutes)',
    'rate(1 hour)',
    'rate(2 days)',
    'cron(0 7 ? * MON *)',
    'cron(0 7 * * ? *)',
    'cron(*/15 * * * ? *)',
    'cron(0/10 8-17 ? * MON-FRI *)',
    'cron(15 10 ? * 6L 2026-2027)',
    'cron(0 18 ? * 2#1 *)',
    'cron(0 9 L * ? *)',
    'cron(0 9 LW * ? *)',
    'cron(0 9 15W * ? *)',
    'cron(0 0 1 JAN,jul ? *)',
    'cron(30 6 1-15/2 * ? 2199)',
  ])('accepts %s', (expression) => {
    expect(scheduleExpressionProblem(expression)).toBeUndefined();
  });

  it.each([
    ['rate(0 minutes)', /the amount must be 1 or more/],
    [
      'rate(1 minutes)',
      /must use "minute" when the amount is 1 .*e\.g\. "rate\(1 minute\)", "rate\(2 minutes\)"$/,
    ],
    ['rate(1 hours)', /e\.g\. "rate\(1 hour\)", "rate\(2 hours\)"$/],
    ['rate(5 minute)', /must use "minute" when the amount is 1 and "minutes" otherwise/],
    ['rate(5 weeks)', /must be "rate\(<n> minutes\|hours\|days\)"/],
    ['every monday', /must be "rate\(<n> minutes\|hours\|days\)" or a six-field "cron/],
    ['cron(0 7 ? * MON)', /has 5 field\(s\); a cron expression has six/],
    ['cron(60 7 ? * MON *)', /minutes "60" is not a value or range of minutes \(0-59\)/],
    ['cron(0 25 ? * MON *)', /hours "25" is not a value or range of hours \(0-23\)/],
    ['cron(0 7 32 * ? *)', /day-of-month "32" is not a value or range of day-of-month \(1-31\)/],
    ['cron(0 7 ? 13 MON *)', /month "13" is not a value .*\(1-12 or JAN-DEC\)/],
    ['cron(0 7 ? * 8 *)', /day-of-week "8" is not a value .*\(1-7 or SUN-SAT\)/],
    ['cron(0 7 ? * MON 1969)', /year "1969" .*\(1970-2199\)/],
    ['cron(0 7 * * MON *)', /both set: one of them must be "\?"/],
    ['cron(0 7 ? * ? *)', /both "\?": one of them must say which days/],
    ['cron(? 7 * * ? *)', /"\?" is allowed only in day-of-month and day-of-week, not in minutes/],
    ['cron(0 7 ? * MON/2 *)', /"\/" is not allowed in day-of-week/],
    ['cron(*/0 7 * * ? *)', /the step after "\/" must be a whole number of at least 1/],
    ['cron(0 7 ? * 2#6 *)', /write <day>#<1-5>/],
    ['cron(0 7 ? * 2#1,3 *)', /with "#" day-of-week takes a single expression/],
    ['cron(0 7 40W * ? *)', /W needs a day 1-31/],
  ])('refuses %s', (expression, reason) => {
    expect(scheduleExpressionProblem(expression)).toMatch(reason);
  });
});
