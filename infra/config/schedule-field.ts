import * as z from 'zod';
import { scheduleExpressionProblem } from '../schedule-expression.ts';

/** A rate or cron expression EventBridge Scheduler accepts (its field, range and `?` rules). */
export const scheduleExpression = (example: string) =>
  z
    .string({ error: `must be an EventBridge Scheduler expression such as "${example}"` })
    .superRefine((value, ctx) => {
      const problem = scheduleExpressionProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });
