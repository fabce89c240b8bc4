import * as z from 'zod';
import { type ScheduleExamples, scheduleExpressionProblem } from '../schedule-expression.ts';

/**
 * A rate or cron expression EventBridge Scheduler accepts (its field, range and `?` rules).
 * `examples`: what a malformed one is offered, when the shared ones would be refused by the
 * field's own checks; `otherwise`: what else the field takes, said to a value of another type.
 */
export const scheduleExpression = (
  example: string,
  { examples, otherwise = '' }: { examples?: ScheduleExamples; otherwise?: string } = {},
) =>
  z
    .string({ error: `must be an EventBridge Scheduler expression such as "${example}"${otherwise}` })
    .superRefine((value, ctx) => {
      const problem = scheduleExpressionProblem(value, examples);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });
