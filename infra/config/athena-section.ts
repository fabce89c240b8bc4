/**
 * `athena`: the Glue database and workgroup names and the scan limits; the names are
 * account-wide, which account-wide-names.ts checks after the parse.
 */
import * as z from 'zod';
import { DEFAULT_DATABASE_NAME, DEFAULT_WORKGROUP_NAME } from '../account-wide-names.ts';
import { wholeNumber } from './whole-numbers.ts';

export const athenaSchema = z.strictObject({
  databaseName: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,254}$/, {
      error: 'must be lower-case letters, digits and "_", starting with a letter, e.g. "domo_activity_lake"',
    })
    .default(DEFAULT_DATABASE_NAME),
  workGroupName: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,128}$/, {
      error: 'must be 1-128 letters, digits, ".", "_" or "-", e.g. "domo-activity-lake"',
    })
    .default(DEFAULT_WORKGROUP_NAME),
  // A stack of its own name deployed with the default names, before synth refused that (account-wide-names.ts).
  keepDefaultNames: z.boolean().default(false),
  bytesScannedCutoffMb: wholeNumber(10, 10_000_000, 10240).default(10240),
  /** GiB the workgroup may scan in a UTC day before the AthenaDailyScan alarm; null: no alarm. */
  dailyScanAlarmGb: wholeNumber(1, 1_000_000, 100).nullable().default(100),
});
