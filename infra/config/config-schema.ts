/**
 * The whole configuration: the sections (config-fields.ts), then the checks that read more than
 * one of them, which only run once every section has parsed.
 */
import { thisYear } from '../schedule-gaps.ts';
import { configFields } from './config-fields.ts';
import { checkLagThreshold, checkNoSuccessfulRunPeriod } from './ingest-alarm-checks.ts';
import { checkInstanceClashes } from './instance-clashes.ts';
import { checkReportAfterIngest } from './report-after-ingest.ts';
import {
  checkBackfillWithinMaxDays,
  checkExpectedInstances,
  checkReportRecipients,
  checkRetiredInstances,
} from './section-cross-checks.ts';

export const configSchema = (today: Date, fromYear = thisYear(today)) =>
  configFields(today).superRefine((config, ctx) => {
    checkNoSuccessfulRunPeriod(config, today, ctx);
    checkLagThreshold(config, ctx);
    checkReportAfterIngest(config, fromYear, ctx);
    checkReportRecipients(config, ctx);
    checkExpectedInstances(config, ctx);
    checkInstanceClashes(config, ctx);
    checkRetiredInstances(config, ctx);
    checkBackfillWithinMaxDays(config, ctx);
  });
