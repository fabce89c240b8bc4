import * as z from 'zod';
import { DEFAULT_STACK_NAME } from '../account-wide-names.ts';
import { adoptLakeSchema } from './adopt-lake-section.ts';
import { alarmsSchema } from './alarms-section.ts';
import { alertsSchema } from './alerts-section.ts';
import { athenaSchema } from './athena-section.ts';
import { ingestSchema } from './ingest-section.ts';
import { instanceName, instanceSchema } from './instance-section.ts';
import { lakeEncryptionSchema } from './lake-encryption-section.ts';
import { lakeStartDateProblem } from './lake-start-date.ts';
import { reportSchema } from './report-section.ts';
import { retentionSchema } from './retention-section.ts';

/** Instances one stack takes: its lake bucket policy and resource count grow with each. */
export const MAX_INSTANCES = 20;

/**
 * The longest `stackName` taken: the schedule group named after the stack takes 64 characters.
 * Each character is in every alarm's name and metric dimensions: ~1 KB of template per character
 * at the largest stack (test/infra/largest-stack-limits.test.ts builds it with a name this long).
 */
export const STACK_NAME_MAX = 64;

/**
 * The configuration's sections; `today` is the day schedules are read from, and its year the year
 * their year fields are read from (see `thisYear`).
 */
export const configFields = (today: Date) =>
  z.strictObject({
    // The stack's schedule group takes this name too (1-64 of [0-9a-zA-Z-_.]): loosen this rule
    // and a name the group refuses fails only at deploy (test/infra/scheduled-invocations-lost).
    stackName: z
      .string()
      .regex(new RegExp(`^[A-Za-z][A-Za-z0-9-]{0,${STACK_NAME_MAX - 1}}$`), {
        error: `must start with a letter and use only letters, digits and "-" (max ${STACK_NAME_MAX}), e.g. "DomoActivityLake"`,
      })
      .default(DEFAULT_STACK_NAME),
    /**
     * CloudFormation refuses to delete the stack while this is on: a destroy orphans the lake, and
     * a deploy after it starts a new one (docs/operations.md, "Deleting the stack").
     */
    terminationProtection: z.boolean({ error: 'must be true or false' }).default(true),
    /**
     * Regions where Amazon SES is offered that infra/ses-regions.ts does not list yet (SES came
     * there after this release): synth then takes the report and mailed alerts there.
     */
    sesRegionsAdded: z
      .array(
        z.string().regex(/^[a-z]{2,4}(-[a-z]+)+-\d+$/, {
          error: 'must be an AWS region name such as "eu-south-2"',
        }),
        { error: 'must be a list of AWS region names such as ["eu-south-2"]' },
      )
      .default([]),
    instances: z
      .array(instanceSchema, { error: 'must be a list of instances such as [{ "name": "acme" }]' })
      .min(1, { error: 'needs at least one instance, e.g. [{ "name": "acme" }]' })
      .max(MAX_INSTANCES, {
        // Review R-MSP2 L2: "a second stack" alone left a provider to guess what it must differ in.
        error: `supports at most ${MAX_INSTANCES} instances per stack: split them between stacks, a checkout each whose cdk.json lists its share, with its own "stackName", "athena.databaseName" and "athena.workGroupName" (docs/configuration.md "How many fit")`,
      })
      .superRefine((instances, ctx) => {
        // Stack output ids keep only letters and digits, so "a-b" and "a_b" would collide there.
        const seen = new Map<string, string>();
        instances.forEach((instance, index) => {
          const key = instance.name.replace(/[-_]/g, '');
          const earlier = seen.get(key);
          if (earlier !== undefined) {
            ctx.addIssue({
              code: 'custom',
              path: [index, 'name'],
              message:
                earlier === instance.name
                  ? `"${instance.name}" appears twice: every instance needs a unique name`
                  : `"${instance.name}" differs from "${earlier}" only by "-" or "_": the stack's output names would clash; rename one`,
            });
          }
          seen.set(key, instance.name);
        });
      }),
    /**
     * Instances removed from `instances` whose data stays in the lake: nothing of them runs, but
     * Athena still projects them and the expiry alarms count their hours (docs/operations.md,
     * "Adding, changing or removing an instance"). No resource each, a name in four projections.
     */
    retiredInstances: z
      .array(instanceName, { error: 'must be a list of instance names such as ["globex"], or left out' })
      .max(MAX_INSTANCES, {
        error: `takes at most ${MAX_INSTANCES} names: purge the data of the oldest (docs/operations.md, "Offboarding a customer") and take them out`,
      })
      .superRefine((names, ctx) => {
        names.forEach((name, index) => {
          if (names.indexOf(name) !== index) {
            ctx.addIssue({
              code: 'custom',
              path: [index],
              message: 'appears twice: list each name once',
            });
          }
        });
      })
      .default([]),
    lakeStartDate: z
      .string({ error: 'must be a date "YYYY-MM-DD"' })
      .superRefine((value, ctx) => {
        const problem = lakeStartDateProblem(value);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      })
      .default('2025-01-01'),
    ingest: ingestSchema(today).prefault({}),
    report: reportSchema(today).prefault({}),
    alerts: alertsSchema.prefault({}),
    alarms: alarmsSchema.prefault({}),
    athena: athenaSchema.prefault({}),
    retention: retentionSchema.prefault({}),
    /** Left out: the lake and the Athena results stay SSE-S3 (docs/configuration.md "Lake encryption"). */
    lakeEncryption: lakeEncryptionSchema.optional(),
    /** Left out: the stack creates its own lake (docs/operations.md "Adopting a kept lake"). */
    adoptLake: adoptLakeSchema.optional(),
  });

export type ConfigFields = z.output<ReturnType<typeof configFields>>;
