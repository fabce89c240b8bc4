import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { DEFAULT_DOMO_API_BASE } from '../../infra/config/api-base.ts';
import { ConfigError } from '../../infra/config/config-error.ts';
import { rateMinutes } from '../../infra/config/run-gaps.ts';
import { enabledReport, parseActivityLakeConfig } from '../../infra/config.ts';
import { knownKeysAt } from '../../infra/config-key-advice.ts';
import { SHIPPED_CONFIG, TEST_NOW } from './synth-helpers.ts';

const ALARMS = { email: 'ops@acme-co.com' };

/** Tests of other sections leave `alarms` out; synth requires its address, so it is filled in here. */
const withAlarmAddress = (raw: unknown): unknown =>
  raw !== null && typeof raw === 'object' && !('alarms' in raw) ? { ...raw, alarms: ALARMS } : raw;

const parse = (raw: unknown) => parseActivityLakeConfig(withAlarmAddress(raw), TEST_NOW);

/** The problems a bad config reports, one line per problem. */
const problemsOf = (raw: unknown): string[] => {
  try {
    parse(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return [...(error as ConfigError).problems];
  }
  throw new Error('expected the config to be rejected');
};

const withInstances = (extra: Record<string, unknown>) => ({ instances: [{ name: 'acme' }], ...extra });

describe('activityLake config', () => {
  it('refuses the shipped cdk.json until an alarm address is set, and says how to opt out instead', () => {
    expect(problemsOf(SHIPPED_CONFIG)).toEqual([
      expect.stringMatching(
        /^activityLake\.alarms\.email: is required: set it to the address that should receive the alarms.*set alarms\.allowNoSubscriber to true instead \(got null\)$/,
      ),
    ]);
    expect(problemsOf({ instances: [{ name: 'acme' }], alarms: {} })).toEqual([
      expect.stringMatching(/^activityLake\.alarms\.email: is required/),
    ]);
  });

  it('says to confirm the alarm and alerts addresses as README\'s "7. Alarms" does: with the CLI, not the link', () => {
    const alarms = problemsOf(SHIPPED_CONFIG)[0] ?? '';
    const alerts =
      problemsOf({ ...withInstances({}), alerts: { enabled: true } }).find((p) =>
        p.startsWith('activityLake.alerts.email:'),
      ) ?? '';
    // A subscription confirmed by the mail's link can be cancelled by anyone holding one mail.
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain('\n### 7. Alarms\n');
    expect(readme).toMatch(/aws sns confirm-subscription [^`]*--authenticate-on-unsubscribe true/);
    for (const message of [alarms, alerts]) {
      expect(message).toContain(
        'confirm it with `aws sns confirm-subscription ... --authenticate-on-unsubscribe true`, not by clicking its link (README, "7. Alarms")',
      );
      expect(message).not.toMatch(/confirmation link once/);
    }
  });

  it("keeps every stack name it takes within the schedule group's name rules", () => {
    // The stack's schedule group is named after the stack: AWS takes 1-64 of [0-9a-zA-Z-_.].
    const group = /^[0-9a-zA-Z\-_.]{1,64}$/;
    for (const stackName of ['A', `A${'b-9'.repeat(21)}`, 'Domo-Lake-2']) {
      const athena = { databaseName: 'second_lake', workGroupName: 'second-lake' };
      expect(parse(withInstances({ stackName, athena })).stackName).toMatch(group);
    }
    for (const stackName of [`A${'b'.repeat(64)}`, 'Domo_Lake', 'Domo.Lake', 'Domo Lake', '9Lake', '']) {
      expect(problemsOf(withInstances({ stackName })), stackName).toEqual([
        expect.stringMatching(/^activityLake\.stackName: must start with a letter/),
      ]);
    }
  });

  it('takes regions SES has come to since as a list of region names', () => {
    expect(parse(withInstances({})).sesRegionsAdded).toEqual([]);
    expect(
      parse(withInstances({ sesRegionsAdded: ['eu-south-2', 'us-gov-east-1'] })).sesRegionsAdded,
    ).toEqual(['eu-south-2', 'us-gov-east-1']);
    expect(problemsOf(withInstances({ sesRegionsAdded: 'eu-south-2' }))).toEqual([
      expect.stringMatching(/^activityLake\.sesRegionsAdded: must be a list of AWS region names/),
    ]);
    expect(problemsOf(withInstances({ sesRegionsAdded: ['Europe (Spain)'] }))).toEqual([
      expect.stringMatching(
        /^activityLake\.sesRegionsAdded\[0\]: must be an AWS region name such as "eu-south-2" \(got "Europe \(Spain\)"\)$/,
      ),
    ]);
  });

  it('deploys without an alarm address only when explicitly opted out', () => {
    const config = parse({ instances: [{ name: 'acme' }], alarms: { allowNoSubscriber: true } });
    expect(config.alarms.email).toBeUndefined();
    expect(config.alarms.allowNoSubscriber).toBe(true);
    expect(problemsOf({ instances: [{ name: 'acme' }], alarms: { allowNoSubscriber: 'yes' } })).toEqual([
      expect.stringMatching(/^activityLake\.alarms\.allowNoSubscriber: must be true or false/),
    ]);
  });

  it('accepts the shipped cdk.json with an alarm address: one instance with a stack-created secret and documented defaults', () => {
    const config = parse({ ...SHIPPED_CONFIG, alarms: { ...(SHIPPED_CONFIG.alarms as object), ...ALARMS } });
    expect(config.instances).toEqual([{ name: 'main', secret: undefined, apiBase: DEFAULT_DOMO_API_BASE }]);
    expect(config.ingest).toMatchObject({
      schedule: 'rate(15 minutes)',
      settleMinutes: 15,
      lookbackHours: 2,
    });
    expect(config.ingest.backfillDays).toBe(90);
    expect(config.retention.removalPolicy).toBe('retain');
    expect(config.report.enabled).toBe(false);
    expect(config.alarms.email).toBe('ops@acme-co.com');
  });

  it('fills every section with defaults when only instances are given', () => {
    const config = parse({ instances: [{ name: 'acme', secret: 'domo/acme' }] });
    expect(config.instances[0]?.secret).toBe('domo/acme');
    expect(config.ingest.concurrency).toBe(4);
    expect(config.athena).toEqual({
      databaseName: 'domo_activity_lake',
      workGroupName: 'domo-activity-lake',
      keepDefaultNames: false,
      bytesScannedCutoffMb: 10240,
      dailyScanAlarmGb: 100,
    });
    expect(config.retention.athenaResultsDays).toBe(7);
    expect(config.stackName).toBe('DomoActivityLake');
    // cdk.json spells these out, so only a config that leaves them out meets the defaults (README table).
    expect(config.retention).toEqual({
      removalPolicy: 'retain',
      logDays: 90,
      athenaResultsDays: 7,
      lockDays: 365,
      lakeBucketPredatesLock: false,
      noncurrentVersionDays: undefined,
      // lockDays plus 30: the access log outlives the versions it records the deletion of.
      accessLogDays: 395,
      deleteAllowedPrincipals: [],
      writeAllowedPrincipals: [],
      readAllowedPrincipals: [],
      infrequentAccessAfterDays: 90,
      glacierInstantRetrievalAfterDays: 365,
    });
    expect(config.alarms).toMatchObject({ allowNoSubscriber: false, lagHours: 3, noSuccessfulRunHours: 6 });
    expect(config.ingest).toMatchObject({ timeoutMinutes: 10, memoryMb: 1024, budgetMarginSeconds: 60 });
  });

  it.each([
    // Lambda's longest timeout.
    [
      { ingest: { timeoutMinutes: 16 } },
      /^activityLake\.ingest\.timeoutMinutes: must be a whole number from 1 to 15,/,
    ],
    // The lag alarm must see a run (settle time included) before it fires.
    [
      { alarms: { ...ALARMS, lagHours: 1 } },
      /^activityLake\.alarms\.lagHours: must be a whole number from 2 to 168,/,
    ],
    // The lag alarm window holds the longest gap between runs, and CloudWatch caps it at a day.
    [
      { alarms: { ...ALARMS, noSuccessfulRunHours: 25 } },
      /^activityLake\.alarms\.noSuccessfulRunHours: must be a whole number from 1 to 24,/,
    ],
    [
      { athena: { bytesScannedCutoffMb: 9 } },
      /^activityLake\.athena\.bytesScannedCutoffMb: must be a whole number from 10 to/,
    ],
    [
      { retention: { infrequentAccessAfterDays: 90, glacierInstantRetrievalAfterDays: 119 } },
      /^activityLake\.retention\.glacierInstantRetrievalAfterDays: must be at least 30 days after infrequentAccessAfterDays \(90\), so 120 or more: S3 refuses a lifecycle rule that moves objects out of STANDARD_IA before they have been there 30 days/,
    ],
    [
      { retention: { infrequentAccessAfterDays: 29 } },
      /^activityLake\.retention\.infrequentAccessAfterDays: must be a whole number from 30 to 3650/,
    ],
    [
      { instances: Array.from({ length: 21 }, (_, i) => ({ name: `i${i}` })) },
      /^activityLake\.instances: supports at most 20 instances per stack/,
    ],
  ])('refuses a value just past its limit: %j', (raw, problem) => {
    expect(problemsOf({ ...withInstances({}), ...raw })).toEqual([expect.stringMatching(problem)]);
  });

  it('accepts each of those limits itself', () => {
    const config = parse({
      instances: Array.from({ length: 20 }, (_, i) => ({ name: `i${i}` })),
      ingest: { timeoutMinutes: 15 },
      alarms: { ...ALARMS, lagHours: 2, noSuccessfulRunHours: 24 },
      athena: { bytesScannedCutoffMb: 10 },
      retention: { infrequentAccessAfterDays: 30, glacierInstantRetrievalAfterDays: 60 },
    });
    expect(config.instances).toHaveLength(20);
    expect(config.alarms.noSuccessfulRunHours).toBe(24);
    expect(config.retention).toMatchObject({
      infrequentAccessAfterDays: 30,
      glacierInstantRetrievalAfterDays: 60,
    });
  });

  it('fails without the context key, saying where to add it', () => {
    expect(() => parse(undefined)).toThrow(/Add an "activityLake" object under "context" in cdk.json/);
  });

  it('names the key, the rule and the value of every bad setting at once', () => {
    const problems = problemsOf(
      withInstances({
        ingest: { settleMinutes: 2.5, schedule: 'rate(1 minutes)', concurrency: 0 },
        alarms: { email: 'not-an-address' },
      }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^activityLake\.ingest\.settleMinutes: must be a whole number from 0 to 240.*got 2\.5/,
        ),
        expect.stringMatching(
          /^activityLake\.ingest\.schedule: must use "minute" when the amount is 1 and "minutes" otherwise.*got "rate\(1 minutes\)"/,
        ),
        expect.stringMatching(/^activityLake\.ingest\.concurrency: must be a whole number from 1 to 16/),
        expect.stringMatching(/^activityLake\.alarms\.email: must be an email address/),
      ]),
    );
    expect(problems).toHaveLength(4);
  });

  it('rejects unsafe or duplicate instance names and malformed secret references', () => {
    const problems = problemsOf({
      instances: [
        { name: 'Acme Corp' },
        { name: 'beta', secret: 'arn:aws:s3:::not-a-secret' },
        { name: 'beta' },
      ],
    });
    expect(problems).toEqual([
      expect.stringMatching(/^activityLake\.instances\[0\]\.name: must be 1-63 lower-case letters/),
      expect.stringMatching(
        /^activityLake\.instances\[1\]\.secret: is not the name or ARN of a Secrets Manager secret .*; or leave it out to have the stack create one/,
      ),
      expect.stringMatching(/^activityLake\.instances\[2\]\.name: "beta" appears twice/),
    ]);
  });

  it('rejects instance names that differ only by "-" or "_" (their stack outputs would clash)', () => {
    expect(problemsOf({ instances: [{ name: 'acme-prod' }, { name: 'acme_prod' }] })).toEqual([
      expect.stringMatching(/instances\[1\]\.name: "acme_prod" differs from "acme-prod" only by "-" or "_"/),
    ]);
  });

  it('accepts a secret by name or by full ARN, and needs at least one instance', () => {
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:domo/acme-AbCdEf';
    const config = parse({
      instances: [
        { name: 'a', secret: 'domo/a' },
        { name: 'b', secret: arn },
      ],
    });
    expect(config.instances.map((i) => i.secret)).toEqual(['domo/a', arn]);
    expect(problemsOf({ instances: [] })).toEqual([expect.stringMatching(/needs at least one instance/)]);
  });

  // review R-MSP2 L2: "deploy a second stack" named none of what the second one must change.
  it('refuses a 21st instance saying what a second stack needs of its own', () => {
    const instances = Array.from({ length: 21 }, (_, i) => ({ name: `customer-${i}` }));
    expect(problemsOf({ instances })).toEqual([
      expect.stringMatching(
        /^activityLake\.instances: supports at most 20 instances per stack: split them between stacks, .*its own "stackName", "athena\.databaseName" and "athena\.workGroupName"/,
      ),
    ]);
  });

  it('reports misspelt keys instead of silently ignoring them, naming the key meant when one is near', () => {
    expect(problemsOf(withInstances({ ingest: { settleMinute: 15 } }))).toEqual([
      'activityLake.ingest: unknown key(s) "settleMinute" (did you mean "settleMinutes"?); remove them or fix the spelling',
    ]);
    expect(problemsOf(withInstances({ report: { timezone: 'UTC', colour: 'red' } }))).toEqual([
      'activityLake.report: unknown key(s) "timezone" (did you mean "timeZone"?), "colour"; remove them or fix the spelling',
    ]);
    // Inside an array of objects, and at the top.
    expect(problemsOf({ instances: [{ name: 'a', secert: 'domo/a' }] })).toEqual([
      'activityLake.instances[0]: unknown key(s) "secert" (did you mean "secret"?); remove them or fix the spelling',
    ]);
    // Beside the key it would guess: a duplicate of it, not a typo of the next-nearest key.
    expect(problemsOf(withInstances({ report: { timeZone: 'UTC', timezone: 'UTC' } }))).toEqual([
      'activityLake.report: "timezone" is "timeZone" spelled differently, and "timeZone" is set too: remove "timezone"',
    ]);
    expect(problemsOf(withInstances({ ingest: { settleMinutes: 15, settleMinute: 15 } }))).toEqual([
      'activityLake.ingest: "settleMinute" is "settleMinutes" spelled differently, and "settleMinutes" is set too: remove "settleMinute"',
    ]);
    // A duplicate and a typo in one object: each gets its own advice.
    expect(
      problemsOf(withInstances({ report: { timeZone: 'UTC', timezone: 'UTC', colour: 'red' } })),
    ).toEqual([
      'activityLake.report: "timezone" is "timeZone" spelled differently, and "timeZone" is set too: remove "timezone"',
      'activityLake.report: unknown key(s) "colour"; remove them or fix the spelling',
    ]);
    // Beside the shipped empty list, the misspelt key holds the user's addresses: keep them (R-FIRST L1).
    expect(
      problemsOf(withInstances({ report: { recipients: [], reciepients: ['sec@acme-co.com'] } })),
    ).toEqual([
      'activityLake.report: "reciepients" is "recipients" spelled differently, and "recipients" is set too: their values differ: move the value of "reciepients" to "recipients" and remove "reciepients"',
    ]);
    // A key no spelling check reaches, written as other tools name it (R-FIRST L4).
    expect(problemsOf({ instances: [{ name: 'a', secretName: 'domo/a' }] })).toEqual([
      'activityLake.instances[0]: unknown key(s) "secretName" (did you mean "secret"?); remove them or fix the spelling',
    ]);
    expect(problemsOf(withInstances({ report: { from: 'r@acme-co.com', to: ['a@acme-co.com'] } }))).toEqual([
      'activityLake.report: unknown key(s) "from" (did you mean "sender"?), "to" (did you mean "recipients"?); remove them or fix the spelling',
    ]);
    // Another name is no spelling, and means the key each section has for it (R-CONFIG2 L4).
    expect(
      problemsOf(withInstances({ report: { recipients: [], to: ['sec@acme-co.com'], tz: 'UTC' } })),
    ).toEqual([
      'activityLake.report: "to" is another name for "recipients", and "recipients" is set too: their values differ: move the value of "to" to "recipients" and remove "to"',
      'activityLake.report: unknown key(s) "tz" (did you mean "timeZone"?); remove them or fix the spelling',
    ]);
    expect(problemsOf(withInstances({ ingest: { tz: 'Europe/Zurich' } }))).toEqual([
      'activityLake.ingest: unknown key(s) "tz" (did you mean "docTimeZone"?); remove them or fix the spelling',
    ]);
    expect(problemsOf(withInstances({ alarms: { email: 'ops@acme-co.com', to: 'b@acme-co.com' } }))).toEqual([
      'activityLake.alarms: "to" is another name for "email", and "email" is set too: their values differ: move the value of "to" to "email" and remove "to"',
    ]);
    expect(knownKeysAt(z.object({ a: z.string() }), ['constructor'])).toEqual([]);
    expect(problemsOf({ ...withInstances({}), athenna: {} })).toEqual([
      'activityLake: unknown key(s) "athenna" (did you mean "athena"?); remove them or fix the spelling',
    ]);
  });

  it('requires a sender and recipients only when the report is enabled, and checks time zones', () => {
    expect(parse(withInstances({ report: { enabled: false } })).report.enabled).toBe(false);
    expect(problemsOf(withInstances({ report: { enabled: true, timeZone: 'Mars/Olympus' } }))).toEqual([
      expect.stringMatching(/^activityLake\.report\.timeZone: is not an IANA time zone name/),
      expect.stringMatching(/^activityLake\.report\.sender: is required when report\.enabled is true/),
      expect.stringMatching(/^activityLake\.report\.recipients: needs at least one address/),
    ]);
    const report = parse(
      withInstances({
        report: {
          enabled: true,
          sender: 'reports@acme-co.com',
          recipients: ['sec@acme-co.com'],
          timeZone: 'Europe/London',
        },
      }),
    ).report;
    expect(report).toMatchObject({
      schedule: 'cron(0 7 ? * MON *)',
      timeZone: 'Europe/London',
      createSesIdentity: false,
    });
    expect(report.sesIdentity).toBeUndefined();
    expect(report.timeoutMinutes).toBeUndefined();
  });

  it('names report.sender and report.recipients, with the fix, when an enabled report lacks them', () => {
    expect(problemsOf(withInstances({ report: { enabled: true, sender: null } }))).toEqual([
      expect.stringMatching(
        /^activityLake\.report\.sender: is required when report\.enabled is true: set it to the address the weekly report is sent from/,
      ),
      expect.stringMatching(
        /^activityLake\.report\.recipients: needs at least one address when report\.enabled is true, e\.g\. \["security@<your-domain>"\]/,
      ),
    ]);
  });

  it('accepts an SES identity that covers the sender: the address, its domain or a parent domain', () => {
    const report = (sesIdentity: string) =>
      parse(
        withInstances({
          report: {
            enabled: true,
            sender: 'reports@mail.acme-co.com',
            recipients: ['sec@acme-co.com'],
            sesIdentity,
          },
        }),
      ).report.sesIdentity;
    expect(report('reports@mail.acme-co.com')).toBe('reports@mail.acme-co.com');
    expect(report('mail.acme-co.com')).toBe('mail.acme-co.com');
    expect(report('acme-co.com')).toBe('acme-co.com');
    expect(parse(withInstances({ report: { sesIdentity: null } })).report.sesIdentity).toBeUndefined();
  });

  it('rejects an SES identity that cannot send as the sender, or is neither address nor domain', () => {
    const enabled = { enabled: true, sender: 'reports@acme-co.com', recipients: ['sec@acme-co.com'] };
    expect(problemsOf(withInstances({ report: { ...enabled, sesIdentity: 'other.acme-co.org' } }))).toEqual([
      'activityLake.report.sesIdentity: cannot send from report.sender "reports@acme-co.com": name that address or its domain ("acme-co.com" or a parent domain), or leave sesIdentity out (got "other.acme-co.org")',
    ]);
    expect(problemsOf(withInstances({ report: { ...enabled, sesIdentity: 'ample.com' } }))).toEqual([
      expect.stringMatching(/^activityLake\.report\.sesIdentity: cannot send from report\.sender/),
    ]);
    expect(problemsOf(withInstances({ report: { ...enabled, sesIdentity: 'not a domain' } }))).toEqual([
      expect.stringMatching(
        /^activityLake\.report\.sesIdentity: must be an email address such as "reports@<your-domain>" or a domain of your own/,
      ),
    ]);
  });

  it('caps recipients at the SES per-message limit and the timeout at Lambda maximum', () => {
    const recipients = Array.from({ length: 51 }, (_, i) => `r${i}@acme-co.com`);
    expect(
      problemsOf(
        withInstances({
          report: { enabled: true, sender: 'reports@acme-co.com', recipients, timeoutMinutes: 16 },
        }),
      ),
    ).toEqual([
      expect.stringMatching(/^activityLake\.report\.recipients: lists more than 50 addresses/),
      expect.stringMatching(/^activityLake\.report\.timeoutMinutes: must be a whole number from 2 to 15/),
    ]);
  });

  it('returns the report section only when it is enabled', () => {
    const off = parse(
      withInstances({ report: { sender: 'reports@acme-co.com', recipients: ['a@acme-co.com'] } }),
    );
    expect(enabledReport(off.report)).toBeUndefined();
    const on = parse(
      withInstances({
        report: { enabled: true, sender: 'reports@acme-co.com', recipients: ['a@acme-co.com'] },
      }),
    );
    expect(enabledReport(on.report)).toMatchObject({ enabled: true, sender: 'reports@acme-co.com' });
  });

  it('checks retention values against what CloudWatch Logs and S3 lifecycle accept', () => {
    expect(
      problemsOf(
        withInstances({
          retention: { logDays: 8, infrequentAccessAfterDays: 100, glacierInstantRetrievalAfterDays: 90 },
        }),
      ),
    ).toEqual([
      expect.stringMatching(
        /^activityLake\.retention\.logDays: must be one of the CloudWatch Logs retention values: 1, 3, 5/,
      ),
      expect.stringMatching(
        /^activityLake\.retention\.glacierInstantRetrievalAfterDays: must be at least 30 days after infrequentAccessAfterDays \(100\), so 130 or more/,
      ),
    ]);
    const noTransitions = parse(
      withInstances({
        retention: { infrequentAccessAfterDays: null, glacierInstantRetrievalAfterDays: null },
      }),
    );
    expect(noTransitions.retention.infrequentAccessAfterDays).toBeNull();
    // The 30 days in STANDARD_IA apply only when objects go there first.
    expect(
      parse(
        withInstances({
          retention: { infrequentAccessAfterDays: null, glacierInstantRetrievalAfterDays: 30 },
        }),
      ).retention.glacierInstantRetrievalAfterDays,
    ).toBe(30);
    // What passed before and failed the deploy (PutBucketLifecycleConfiguration refuses it).
    expect(
      problemsOf(
        withInstances({ retention: { infrequentAccessAfterDays: 90, glacierInstantRetrievalAfterDays: 91 } }),
      ),
    ).toEqual([expect.stringMatching(/glacierInstantRetrievalAfterDays: must be at least 30 days after/)]);
  });

  it('insists that the Athena projection start covers the first backfill', () => {
    // TEST_NOW 2026-11-25 minus 90 backfill days is 2026-08-27.
    expect(problemsOf(withInstances({ lakeStartDate: '2026-09-01' }))).toEqual([
      expect.stringMatching(
        /lakeStartDate: 2026-09-01 is after the first backfilled day 2026-08-27.*set it to 2026-08-27 or earlier/,
      ),
    ]);
    expect(parse(withInstances({ lakeStartDate: '2026-08-27' })).lakeStartDate).toBe('2026-08-27');
    expect(problemsOf(withInstances({ lakeStartDate: '27/08/2026' }))).toEqual([
      expect.stringMatching(/^activityLake\.lakeStartDate: must be a date "YYYY-MM-DD"/),
    ]);
  });

  it('accepts only https Domo API bases and strips a trailing slash', () => {
    expect(
      parse({ instances: [{ name: 'a', apiBase: 'https://api.domo.com/' }] }).instances[0]?.apiBase,
    ).toBe('https://api.domo.com');
    expect(problemsOf({ instances: [{ name: 'a', apiBase: 'http://api.domo.com' }] })).toEqual([
      expect.stringMatching(/instances\[0\]\.apiBase: must be an https URL/),
    ]);
    // What the function's client refuses is refused at synth, not at every scheduled run.
    for (const apiBase of ['https://api.domo.com/?x=1', 'https://api.domo.com/#top']) {
      expect(problemsOf({ instances: [{ name: 'a', apiBase }] })).toEqual([
        expect.stringMatching(/instances\[0\]\.apiBase: must be a plain https URL without query or fragment/),
      ]);
    }
  });

  // first-deploy review F4: "https://api.domo.com/v1" passed synth, and every run then failed on
  // the paths the function adds to it (/v1/oauth/token).
  it('refuses a path in the API base at synth, with the address to write', () => {
    for (const apiBase of ['https://api.domo.com/v1', 'https://api.domo.com/v1/audit/']) {
      expect(problemsOf({ instances: [{ name: 'a', apiBase }] })).toEqual([
        `activityLake.instances[0].apiBase: must be the API's address without a path (such as "/v1"): the function adds the paths of Domo's API to it, so a path makes every run fail. Write "https://api.domo.com" (got "${apiBase}")`,
      ]);
    }
  });

  it('shows a host name given as the API base, and the URL to write (review R-FIRST L3)', () => {
    expect(problemsOf({ instances: [{ name: 'a', apiBase: 'api.domo.com' }] })).toEqual([
      'activityLake.instances[0].apiBase: is a host name without its scheme: write "https://api.domo.com" (got "api.domo.com")',
    ]);
    expect(problemsOf({ instances: [{ name: 'a', apiBase: 'http://api.domo.com' }] })).toEqual([
      'activityLake.instances[0].apiBase: must be an https URL: write "https://api.domo.com" (got "http://api.domo.com")',
    ]);
  });

  it("refuses an instance's web address as its API base at synth, not at every run", () => {
    expect(problemsOf({ instances: [{ name: 'a', apiBase: 'https://acme.domo.com' }] })).toEqual([
      expect.stringMatching(
        /instances\[0\]\.apiBase: is a Domo web address, not the API: .* is at https:\/\/api\.domo\.com/,
      ),
    ]);
  });

  it('tells an SES identity with white space around it what to write, as the address keys (R-CONFIG2 L10)', () => {
    const report = { enabled: true, sender: 'r@acme-co.com', recipients: ['a@acme-co.com'] };
    expect(problemsOf(withInstances({ report: { ...report, sesIdentity: ' acme-co.com' } }))).toEqual([
      'activityLake.report.sesIdentity: has white space around it: write "acme-co.com" (got " acme-co.com")',
    ]);
    expect(problemsOf(withInstances({ report: { ...report, sesIdentity: ' example.com' } }))).toEqual([
      expect.stringMatching(
        /^activityLake\.report\.sesIdentity: has white space around it, and "example\.com" is at "example\.com", a domain reserved/,
      ),
    ]);
  });

  it.each(['acme.domo.com', 'http://acme.domo.com'])(
    'offers the API, not the web address, for %j, with one fix (R-CONFIG2 L3)',
    (apiBase) => {
      expect(problemsOf({ instances: [{ name: 'a', apiBase }] })).toEqual([
        expect.stringMatching(
          /^activityLake\.instances\[0\]\.apiBase: is a Domo web address, not the API: .*: write "https:\/\/api\.domo\.com" \(got/,
        ),
      ]);
    },
  );

  it('never repeats an API base query or fragment, where a pasted token would be', () => {
    const problems = problemsOf({
      instances: [
        { name: 'a', apiBase: 'https://api.domo.com/?access_token=tok3nvalue' },
        { name: 'b', apiBase: 'http://api.domo.com/v1#tok3nvalue' },
      ],
    });
    expect(problems).toEqual([
      expect.stringMatching(
        /instances\[0\]\.apiBase: must be a plain https URL .*\(got "https:\/\/api\.domo\.com\/\?\*\*\*"\)$/,
      ),
      expect.stringMatching(/instances\[1\]\.apiBase: must be an https URL .*\(got "http:\/\/\*\*\*"\)$/),
      expect.stringMatching(/instances\[1\]\.apiBase: must be a plain https URL/),
    ]);
    expect(problems.join('\n')).not.toMatch(/tok3n/);
    // Also inside a list or an object given where a string or a list was due.
    const nested = [
      ...problemsOf({ instances: { apiBase: 'https://a.io?t=tok3nvalue' } }),
      ...problemsOf({ instances: [{ name: 'a', apiBase: ['https://a.io#tok3nvalue'] }] }),
    ];
    expect(nested).toEqual([
      expect.stringMatching(/^activityLake\.instances: .*\(got \{"apiBase":"https:\/\/a\.io\?\*\*\*"\}\)$/),
      expect.stringMatching(
        /^activityLake\.instances\[0\]\.apiBase: .*\(got \["https:\/\/a\.io#\*\*\*"\]\)$/,
      ),
    ]);
  });

  it('never repeats a secret pasted as an http API base host, or nested under apiBase', () => {
    const secret = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
    const problems = [
      ...problemsOf({ instances: [{ name: 'a', apiBase: `http://${secret}` }] }),
      ...problemsOf({ instances: [{ name: 'a', apiBase: { url: `c41e307a:${secret}` } }] }),
    ];
    expect(problems.length).toBeGreaterThan(1);
    expect(problems.join('\n')).not.toMatch(/9f86d081884c7d65/);
  });

  it('refuses credentials in an API base, and never repeats them or a pasted secret in an error', () => {
    const problems = problemsOf({
      instances: [
        { name: 'a', apiBase: 'https://user:hunter2@domo-proxy.acme-co.com/' },
        { name: 'b', apiBase: 'http://user:hunter2@api.domo.com' },
        { name: 'c', secret: '{"clientId":"abc","clientSecret":"s3cr3tvalue"}' },
      ],
    });
    expect(problems).toEqual([
      'activityLake.instances[0].apiBase: must not carry a user name or password ("user:password@"): the Domo client id and secret belong in the instance\'s secret, which only the function can read (got "https://***@domo-proxy.acme-co.com/")',
      expect.stringMatching(
        /^activityLake\.instances\[1\]\.apiBase: must be an https URL .*\(got "http:\/\/\*\*\*"\)$/,
      ),
      expect.stringMatching(/^activityLake\.instances\[1\]\.apiBase: must not carry a user name or password/),
      expect.stringMatching(
        /^activityLake\.instances\[2\]\.secret: is not the name or ARN .*looks like a secret value \(JSON\).*\(got a value not shown here, as it may be a credential\)$/,
      ),
    ]);
    expect(problems.join('\n')).not.toMatch(/hunter2|s3cr3t|clientSecret/);
  });

  it.each([
    'https:\\\\user:hunter2@api.domo.com',
    'https:user:hunter2@api.domo.com',
    'https:/user:hunter2@api.domo.com',
  ])('masks credentials spelled without "//" (%s), as the URL parser reads them', (apiBase) => {
    const problems = problemsOf({
      instances: [
        { name: 'a', apiBase },
        { name: 'b', apiBase: [apiBase] },
      ],
    });
    expect(problems).toEqual([
      expect.stringMatching(
        /^activityLake\.instances\[0\]\.apiBase: must not carry a user name or password .*\(got "https:\/\/\*\*\*@api\.domo\.com"\)$/,
      ),
      expect.stringMatching(
        /^activityLake\.instances\[1\]\.apiBase: .*\(got \["https:\/\/\*\*\*@api\.domo\.com"\]\)$/,
      ),
    ]);
    expect(problems.join('\n')).not.toMatch(/hunter2|user:hunter/);
  });
});

describe('activityLake config: a client secret given as the secret name (review 36g, item 4)', () => {
  it('is refused without being shown, as it would land in the template', () => {
    const secret = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
    const problems = problemsOf({ instances: [{ name: 'a', secret }] });
    expect(problems).toEqual([
      expect.stringMatching(
        /^activityLake\.instances\[0\]\.secret: looks like a client secret, not a secret's name .*\(got a value not shown here, as it may be a credential\)$/,
      ),
    ]);
    expect(problems.join('\n')).not.toContain('9f86d0');
  });
});

// first-deploy review F5: the client id and secret typed into cdk.json got "remove them or fix the
// spelling", as if a spelling fixed them, and nothing on where they go or on the exposed secret.
describe('activityLake config: the Domo credentials typed into cdk.json', () => {
  const secret = '9f86d081884c7d659a2feaa0c55ad015';
  const credentialsProblem = (path: string, keys: string) =>
    `activityLake${path}: ${keys} look like the Domo client's credentials, which do not belong in cdk.json (synth writes its values into the template, and the file is often committed): remove them and put the client id and secret into the instance's secret instead (README, "4. Put the Domo client id and secret into the secret"). If the file was committed or shared with the values in it, create a new API client in Domo, put its credentials in and revoke the old one (docs/operations.md, "Rotating the secret")`;

  it('say where they belong and to rotate an exposed secret, in an instance or at the top', () => {
    expect(problemsOf({ instances: [{ name: 'a', clientId: 'c41e307a', clientSecret: secret }] })).toEqual([
      credentialsProblem('.instances[0]', '"clientId", "clientSecret"'),
    ]);
    expect(
      problemsOf({
        instances: [{ name: 'a' }],
        client_id: 'c41e307a',
        DOMO_CLIENT_SECRET: secret,
        colour: 1,
      }),
    ).toEqual([
      credentialsProblem('', '"client_id", "DOMO_CLIENT_SECRET"'),
      'activityLake: unknown key(s) "colour"; remove them or fix the spelling',
    ]);
  });

  it('never show their values', () => {
    const problems = problemsOf({ instances: [{ name: 'a', clientId: 'c41e307a', password: secret }] });
    expect(problems).toHaveLength(1);
    expect(problems.join('\n')).not.toMatch(/9f86d0|c41e30/);
  });
});

// first-deploy review F8: "alarms.email" written as one key got "unknown key(s)"; the fix is nesting.
describe('activityLake config: a dotted key', () => {
  it('is told to nest, when its first part is a key of the object', () => {
    expect(
      problemsOf({
        instances: [{ name: 'a' }],
        'alarms.email': 'ops@acme-co.com',
        'report.x.y': 1,
        'a.b': 2,
      }),
    ).toEqual([
      'activityLake: "alarms.email" is a path, not a key: nest it as "alarms": { "email": … } (inside the "alarms" object if there is one) and remove "alarms.email"',
      'activityLake: "report.x.y" is a path, not a key: nest it as "report": { "x": { "y": … } } (inside the "report" object if there is one) and remove "report.x.y"',
      'activityLake: unknown key(s) "a.b"; remove them or fix the spelling',
    ]);
  });
});

describe('activityLake config: API-base spellings that held a password (review 36g, item 3)', () => {
  const SECRET = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
  it.each([
    [' https:user:hunter2@api.domo.com', '"https://***@api.domo.com"'],
    ['\thttps:user:hunter2@api.domo.com', '"https://***@api.domo.com"'],
    ['user:hunter2@api.domo.com', '"***@api.domo.com"'],
    [`c41e307a-b2a1-4a99-8561-174e5b153f5a:${SECRET}@api.domo.com`, '"***@api.domo.com"'],
    [`f41e307a-b2a1-4a99-8561-174e5b153f5a:${SECRET}@api.domo.com`, '"***@api.domo.com"'],
    ['https://user:hun#ter2@api.domo.com', '"https://***@api.domo.com"'],
    ['https://user:hun?ter2@api.domo.com', '"https://***@api.domo.com"'],
    ['https://user:1234?ter2@api.domo.com', '"https://***@api.domo.com"'],
  ])('masks %j from its start or scheme to its last "@"', (apiBase, shown) => {
    const problems = problemsOf({ instances: [{ name: 'a', apiBase }] });
    expect(problems.length).toBeGreaterThan(0);
    for (const problem of problems) expect(problem).toContain(`(got ${shown})`);
    expect(problems.join('\n')).not.toMatch(/hunter2|hun\b|ter2|1234|9f86d0/);
  });
});

describe('activityLake config: an API base that is no URL is never shown (review 36m, item 1)', () => {
  const ID = 'c41e307a-b2a1-4a99-8561-174e5b153f5a';
  const SECRET = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
  it.each([
    [`${ID}:${SECRET}`, '"***"'],
    [`https://${ID}:${SECRET}`, '"https://***"'],
    [`https:${ID}:${SECRET}`, '"https:***"'],
    [SECRET, '"***"'],
  ])('masks %j whole but for its scheme', (apiBase, shown) => {
    const problems = problemsOf({ instances: [{ name: 'a', apiBase }] });
    expect(problems).toEqual([expect.stringMatching(/^activityLake\.instances\[0\]\.apiBase: /)]);
    expect(problems[0]).toContain(`(got ${shown})`);
    expect(problems[0]).not.toMatch(/9f86d0|c41e30/);
  });

  it('masks it inside an instance given whole where a list was due', () => {
    const problems = problemsOf({ instances: { name: 'a', apiBase: `${ID}:${SECRET}` } });
    expect(problems.join('\n')).not.toMatch(/9f86d0|c41e30/);
  });
});

describe('activityLake config: an e-mail address is shown as given (review 36m, item 4)', () => {
  it.each([
    ['Ops <ops@acme-co.com>', 'is a display-name form: write the bare address "ops@acme-co.com"'],
    [' ops@acme-co.com', 'has white space around it: write "ops@acme-co.com"'],
  ])('tells alarms.email and the lists %j as precisely as report.sender (R-FIRST L2)', (given, told) => {
    for (const raw of [
      { alarms: { email: given } },
      { report: { enabled: true, sender: given, recipients: ['a@acme-co.com'] } },
      { alerts: { enabled: true, email: [given] } },
    ]) {
      expect(problemsOf(withInstances(raw))).toEqual([expect.stringContaining(`: ${told}`)]);
    }
    expect(
      problemsOf(withInstances({ alerts: { enabled: true, email: ['a@acme-co.com;b@acme-co.com'] } })),
    ).toEqual([
      expect.stringContaining(
        'alerts.email[0]: holds 2 addresses in one string: give each as its own item of the list, e.g. ["a@acme-co.com", ...]',
      ),
    ]);
  });

  it.each([
    [
      'Ops Team <ops@example.com>',
      'is a display-name form, and its address "ops@example.com" is at "example.com", a domain reserved for examples',
      'an address of your own organisation, bare',
    ],
    [
      ' ops@example.com',
      'has white space around it, and its address "ops@example.com" is at "example.com"',
      '',
    ],
    [
      'ops@example.com, b@acme-co.com',
      'takes one address, not several: write "b@acme-co.com"',
      '; and "ops@example.com" is at "example.com"',
    ],
  ])("never offers %j's address at a reserved domain, refused next (R-CONFIG2 L2)", (email, told, more) => {
    const [problem, ...rest] = problemsOf(withInstances({ alarms: { email } }));
    expect(rest).toEqual([]);
    expect(problem).toContain(`activityLake.alarms.email: ${told}`);
    expect(problem).toContain(more);
    expect(problem).not.toMatch(/write "ops@example\.com"|write the bare address/);
  });

  it('tells an internationalized domain its ASCII form, and why an IDN top-level domain is refused (R-CONFIG2 L8)', () => {
    expect(problemsOf(withInstances({ alarms: { email: 'ops@bücher.de' } }))).toEqual([
      'activityLake.alarms.email: has its domain in Unicode letters, which SES and the address check take only in their ASCII (punycode) form: write "ops@xn--bcher-kva.de" (got "ops@bücher.de")',
    ]);
    expect(parse(withInstances({ alarms: { email: 'ops@xn--bcher-kva.de' } })).alarms.email).toBe(
      'ops@xn--bcher-kva.de',
    );
    const report = { enabled: true, sender: 'r@xn--bcher-kva.de', recipients: ['a@xn--bcher-kva.de'] };
    expect(problemsOf(withInstances({ report: { ...report, sesIdentity: 'bücher.de' } }))).toEqual([
      expect.stringContaining('report.sesIdentity: has its domain in Unicode letters, which SES'),
    ]);
    for (const email of ['ops@acme.xn--p1ai', 'ops@пример.рф']) {
      expect(problemsOf(withInstances({ alarms: { email } }))).toEqual([
        expect.stringContaining(
          'activityLake.alarms.email: is under the internationalized top-level domain "xn--p1ai"',
        ),
      ]);
    }
  });

  it('offers no ASCII form of an IDN the next check refuses, and trims first (R-ROUND3 LOW-1)', () => {
    const [reserved, ...rest] = problemsOf(withInstances({ alarms: { email: 'ops@münchen.example' } }));
    expect(rest).toEqual([]);
    expect(reserved).toContain(
      'punycode) form, and that form "ops@xn--mnchen-3ya.example" is at ".example", a domain reserved for examples',
    );
    expect(reserved).not.toContain('write "ops@xn--mnchen-3ya.example"');
    const report = { enabled: true, sender: 'r@xn--bcher-kva.de', recipients: ['a@xn--bcher-kva.de'] };
    expect(problemsOf(withInstances({ report: { ...report, sesIdentity: 'bücher.test' } }))).toEqual([
      expect.stringContaining('form, and that form "xn--bcher-kva.test" is at ".test"'),
    ]);
    expect(problemsOf(withInstances({ alarms: { email: ' ops@bücher.de ' } }))).toEqual([
      expect.stringContaining('(punycode) form: write "ops@xn--bcher-kva.de"'),
    ]);
  });

  it('offers no address that is none ("Ops <bad>"), and names a placeholder left in (R-CONFIG2 L2)', () => {
    const [bad] = problemsOf(withInstances({ alarms: { email: 'Ops <bad>' } }));
    expect(bad).toContain(
      'activityLake.alarms.email: must be an email address such as "audit@<your-domain>"',
    );
    expect(bad).not.toContain('write the bare address');
    expect(
      problemsOf(withInstances({ report: { enabled: true, sender: 'reports@<your-domain>' } })),
    ).toContainEqual(
      expect.stringContaining(
        'report.sender: still holds the example\'s "<your-domain>": write your organisation\'s own domain in its place',
      ),
    );
  });

  it.each([
    ['ops@acme-co.com ', '"ops@acme-co.com "', 'has white space around it: write "ops@acme-co.com"'],
    ['ops@@acme-co.com', '"ops@@acme-co.com"', 'must be an email address'],
    [
      'alice@acme-co.com, bob@acme-co.com',
      '"alice@acme-co.com, bob@acme-co.com"',
      'takes one address, not several: write "alice@acme-co.com". For several, give a distribution list',
    ],
  ])('shows %j whole and untrimmed, so its mistake can be seen', (email, shown, told) => {
    expect(problemsOf(withInstances({ alarms: { email } }))).toEqual([
      expect.stringContaining(`activityLake.alarms.email: ${told}`),
    ]);
    expect(problemsOf(withInstances({ alarms: { email } }))[0]).toContain(`(got ${shown})`);
  });

  it('still masks a string holding an "@" and a ":", which may be a URL with userinfo', () => {
    const [problem] = problemsOf(withInstances({ alarms: { email: 'user:hunter2@api.domo.com' } }));
    expect(problem).toContain('(got "***@api.domo.com")');
  });

  it('given as a list (as alerts.email is), says it takes one and how several are reached', () => {
    const [problem, ...more] = problemsOf(
      withInstances({ alarms: { email: ['ops@acme-co.com', 'oncall@acme-co.com'] } }),
    );
    expect(more).toEqual([]);
    expect(problem).toMatch(
      /^activityLake\.alarms\.email: takes one address, not a list: write "ops@acme-co\.com"\. For several, give a distribution list's address, or subscribe more to the alarm topic after the deploy \(aws sns subscribe --topic-arn <AlarmTopicArn> --protocol email --notification-endpoint <address>, /,
    );
    // An entry that is no address is not offered as the one to write.
    expect(problemsOf(withInstances({ alarms: { email: ['nope', 'sec@acme-co.com'] } }))[0]).toContain(
      'write "sec@acme-co.com"',
    );
  });

  const alarmEmailProblem = (email: unknown) => problemsOf(withInstances({ alarms: { email } }));

  it('given as a list without an address, offers the example as an example, not as the one to write', () => {
    const [problem, ...more] = alarmEmailProblem(['not-an-email']);
    expect(more).toEqual([]);
    expect(problem).toContain(
      'takes one address, not a list: write one address, such as "ops@<your-domain>". For several',
    );
    expect(problem).not.toContain('write "ops@<your-domain>"');
  });

  it('given as an empty list, points at alarms.allowNoSubscriber', () => {
    const [problem, ...more] = alarmEmailProblem([]);
    expect(more).toEqual([]);
    expect(problem).toContain(
      'takes one address, not a list: this one is empty. Write one address, such as "ops@<your-domain>"; or, if the alarm topic is subscribed some other way (a pager, ChatOps), leave email out and set alarms.allowNoSubscriber to true',
    );
  });

  it('given as a list of a "Name <address>" entry, offers the address alone', () => {
    expect(alarmEmailProblem(['Ops <ops@acme-co.com>'])[0]).toContain(
      'takes one address, not a list: write the address alone, "ops@acme-co.com", without the name. For several',
    );
    // A bare address in the list is still the one offered first.
    expect(alarmEmailProblem(['Ops <ops@acme-co.com>', 'b@acme-co.com'])[0]).toContain(
      'write "b@acme-co.com"',
    );
  });

  it('given as a list, never offers an address at a reserved domain, which is refused next (R-CONFIG2 L2)', () => {
    expect(alarmEmailProblem(['ops@example.com', 'Ops <ops@acme-co.com>'])[0]).toContain(
      'write the address alone, "ops@acme-co.com"',
    );
    const [problem] = alarmEmailProblem(['Ops <ops@example.com>']);
    expect(problem).toContain(
      'takes one address, not a list: "ops@example.com" is at "example.com", a domain reserved for examples',
    );
    expect(problem).not.toContain('write the address alone');
  });
});

describe('activityLake config: time zones', () => {
  it.each([
    ['europe/paris', 'Europe/Paris'],
    ['US/Eastern', 'America/New_York'],
    ['Asia/Calcutta', 'Asia/Kolkata'],
  ])('rejects "%s" (Intl takes it) and names the spelling to write, "%s"', (zone, canonical) => {
    expect(problemsOf(withInstances({ ingest: { docTimeZone: zone }, report: { timeZone: zone } }))).toEqual([
      `activityLake.ingest.docTimeZone: is "${zone}"; write "${canonical}" (the zone's primary IANA name, spelled exactly as EventBridge Scheduler and Athena expect it) (got "${zone}")`,
      expect.stringMatching(
        new RegExp(`^activityLake\\.report\\.timeZone: is "${zone}"; write "${canonical}"`),
      ),
    ]);
  });

  it.each([
    ['EST', 'UTC-05:00', 'US Eastern time', 'America/New_York', 'America/Panama'],
    ['MST', 'UTC-07:00', 'US Mountain time', 'America/Denver', 'America/Phoenix'],
  ])(
    'answers the fixed-offset "%s" with the zone people mean and the fixed one, both valid',
    (zone, offset, region, local, fixed) => {
      expect(problemsOf(withInstances({ report: { timeZone: zone } }))).toEqual([
        `activityLake.report.timeZone: is "${zone}", a fixed ${offset} with no daylight saving: for ${region} (with daylight saving) write "${local}"; for ${offset} all year write "${fixed}" (got "${zone}")`,
      ]);
      // Either advice, followed, is accepted.
      for (const advice of [local, fixed]) {
        expect(parse(withInstances({ report: { timeZone: advice } })).report.timeZone).toBe(advice);
      }
    },
  );

  it.each([
    ['GMT', 'UTC', '; for UK time with summer time, write "Europe/London"'],
    ['Etc/GMT', 'UTC', '; for UK time with summer time, write "Europe/London"'],
    // Every spelling of GMT alike (R-CONFIG2 L10).
    ['GMT0', 'UTC', '; for UK time with summer time, write "Europe/London"'],
    ['Etc/GMT+0', 'UTC', '; for UK time with summer time, write "Europe/London"'],
    ['Etc/GMT-0', 'UTC', '; for UK time with summer time, write "Europe/London"'],
    ['Etc/Greenwich', 'UTC', '; for UK time with summer time, write "Europe/London"'],
    ['BST', 'Asia/Dhaka', '; if British Summer Time was meant, write "Europe/London"'],
  ])(
    'answers "%s", which a British user may mean as UK time, with Europe/London too (R-FIRST L7)',
    (zone, canonical, uk) => {
      expect(problemsOf(withInstances({ report: { timeZone: zone } }))).toEqual([
        expect.stringContaining(
          `activityLake.report.timeZone: is "${zone}"; write "${canonical}" (the zone's primary IANA name, spelled exactly as EventBridge Scheduler and Athena expect it)${uk}`,
        ),
      ]);
    },
  );

  it('answers Etc/GMT+5, primary but POSIX-signed (UTC-05:00), with city zones, as the command does', () => {
    expect(problemsOf(withInstances({ ingest: { docTimeZone: 'Etc/GMT+5' } }))).toEqual([
      'activityLake.ingest.docTimeZone: is "Etc/GMT+5", a fixed UTC-05:00: POSIX inverts the sign, so it is 5 hours behind UTC; for a place write its city zone, which keeps the place\'s daylight saving; for UTC-05:00 all year write "America/Panama"; if UTC+05:00 was meant, "Asia/Tashkent" (got "Etc/GMT+5")',
    ]);
    expect(problemsOf(withInstances({ report: { timeZone: 'etc/gmt-3' } }))).toEqual([
      expect.stringMatching(/^activityLake\.report\.timeZone: is "etc\/gmt-3", a fixed UTC\+03:00: /),
    ]);
    for (const advice of ['America/Panama', 'Asia/Tashkent']) {
      expect(parse(withInstances({ report: { timeZone: advice } })).report.timeZone).toBe(advice);
    }
  });

  it('accepts primary IANA names, including renamed zones ICU still calls by their old names', () => {
    for (const zone of ['UTC', 'Europe/Paris', 'America/New_York', 'Asia/Kolkata', 'Europe/Kyiv']) {
      const config = parse(withInstances({ ingest: { docTimeZone: zone }, report: { timeZone: zone } }));
      expect([config.ingest.docTimeZone, config.report.timeZone]).toEqual([zone, zone]);
    }
  });
});

describe('activityLake config: category rules', () => {
  it("takes a rules file's content, either shape, and leaves the key out when absent", () => {
    const rules = [{ category: 'login', actionType: '^AUTHENTICATED$' }];
    expect(parse(withInstances({ ingest: { categoryRules: rules } })).ingest.categoryRules).toEqual(rules);
    const replacing = {
      replaceBuiltIn: true,
      rules: ['login', 'login_failed', 'lockout'].map((category) => ({ category, actionType: '^X$' })),
    };
    expect(parse(withInstances({ ingest: { categoryRules: replacing } })).ingest.categoryRules).toEqual(
      replacing,
    );
    expect(parse(withInstances({})).ingest.categoryRules).toBeUndefined();
  });

  it('refuses bad rules at synth, saying which rule and how, as the command would', () => {
    expect(
      problemsOf(withInstances({ ingest: { categoryRules: [{ category: 'login', actionType: '(' }] } })),
    ).toEqual([
      expect.stringMatching(
        /^activityLake\.ingest\.categoryRules: rule\[0\]\.actionType: "\(" is not a valid regular expression .*\(see docs\/ingest\.md, "Categories"\)/,
      ),
    ]);
    const blind = { replaceBuiltIn: true, rules: [{ category: 'login', actionType: '^X$' }] };
    expect(problemsOf(withInstances({ ingest: { categoryRules: blind } }))).toEqual([
      expect.stringMatching(
        /^activityLake\.ingest\.categoryRules: "replaceBuiltIn": true drops the built-in rules, and these rules have none for login_failed, lockout/,
      ),
    ]);
    expect(problemsOf(withInstances({ ingest: { categoryRules: 'rules.json' } }))).toEqual([
      expect.stringMatching(/^activityLake\.ingest\.categoryRules: Expected a JSON array of rules/),
    ]);
  });

  it("refuses rules too long for the function's environment", () => {
    const long = Array.from({ length: 80 }, (_, i) => ({
      category: 'login',
      actionType: `^A_LONG_ACTION_NAME_${i}$`,
    }));
    expect(problemsOf(withInstances({ ingest: { categoryRules: long } }))).toEqual([
      expect.stringMatching(/^activityLake\.ingest\.categoryRules: is \d+ bytes of JSON; .* at most 3000/),
    ]);
    // Lambda counts bytes: 750 characters of Cyrillic are 1,500 bytes.
    const cyrillic = [{ category: 'login', eventText: `^(${'вход'.repeat(190)})$` }];
    expect(JSON.stringify(cyrillic).length).toBeLessThan(3000);
    expect(problemsOf(withInstances({ ingest: { categoryRules: [...cyrillic, ...cyrillic] } }))).toEqual([
      expect.stringMatching(/^activityLake\.ingest\.categoryRules: is \d+ bytes of JSON;/),
    ]);
  });
});

describe('activityLake config: secrets', () => {
  const KEY = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  const SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:domo/acme-AbCdEf';

  it('rejects a partial secret ARN (CDK would throw on it), naming the full ARN and the name as fixes', () => {
    expect(
      problemsOf({
        instances: [
          { name: 'acme', secret: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:domo/acme' },
        ],
      }),
    ).toEqual([
      expect.stringMatching(
        /^activityLake\.instances\[0\]\.secret: is a partial ARN: .*ends in "-" and the 6 characters .*aws secretsmanager describe-secret --secret-id domo\/acme --query ARN, or write just the name "domo\/acme"/,
      ),
    ]);
  });

  it('takes the KMS key of an imported secret, by key ARN (multi-Region keys too)', () => {
    const mrk = 'arn:aws:kms:eu-west-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab';
    const config = parse({
      instances: [
        { name: 'a', secret: SECRET, secretKmsKeyArn: KEY },
        { name: 'b', secret: 'domo/b', secretKmsKeyArn: mrk },
        { name: 'c', secret: 'domo/c', secretKmsKeyArn: null },
        { name: 'd', secret: 'domo/d' },
      ],
    });
    expect(config.instances.map((i) => i.secretKmsKeyArn)).toEqual([KEY, mrk, undefined, undefined]);
  });

  // review R-MSP H1
  it("takes an instance's expected Domo customer, trimmed, and refuses an empty one", () => {
    const config = parse({ instances: [{ name: 'a', domoCustomer: ' acme-corp ' }, { name: 'b' }] });
    expect(config.instances.map((i) => i.domoCustomer)).toEqual(['acme-corp', undefined]);
    expect(problemsOf({ instances: [{ name: 'a', domoCustomer: '' }] })).toEqual([
      expect.stringMatching(/^activityLake\.instances\[0\]\.domoCustomer: must not be empty/),
    ]);
  });

  // review R-MSP2 H1: an entry copied at onboarding with only its name changed deployed, and each
  // run of the copy was refused at runtime (one Domo customer, one instance of a lake).
  it('refuses two instances of one Domo customer: the same domoCustomer, in any case, or the same secret', () => {
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:customers/acme-AbCdEf';
    expect(
      problemsOf({
        instances: [
          { name: 'acme', domoCustomer: 'acme-corp', secret: 'customers/acme' },
          { name: 'globex', domoCustomer: 'Acme-Corp', secret: 'customers/acme' },
          { name: 'initech', secret: arn },
          { name: 'hooli', secret: arn.replace('AbCdEf', 'XyZ123') },
          { name: 'stark' },
          { name: 'wayne', secret: 'DomoActivityLake/domo/stark' },
        ],
      }),
    ).toEqual([
      expect.stringMatching(
        /^activityLake\.instances\[1\]\.domoCustomer: is "acme"'s Domo customer too: a lake holds each Domo customer in one instance only/,
      ),
      expect.stringMatching(
        /^activityLake\.instances\[1\]\.secret: is the same secret as "acme"'s, so the same Domo API client/,
      ),
      expect.stringMatching(/^activityLake\.instances\[3\]\.secret: is the same secret as "initech"'s/),
      expect.stringMatching(
        /^activityLake\.instances\[5\]\.secret: is the same secret as the one the stack creates for "stark"/,
      ),
    ]);
    // Never quoted: a secret's place may hold a pasted credential.
    expect(
      problemsOf({
        instances: [
          { name: 'a', secret: 'customers/acme' },
          { name: 'b', secret: 'customers/acme' },
        ],
      }).join(),
    ).not.toContain('customers/acme');
    // An instance added back under its kept secret, and distinct secrets and customers, are taken.
    const config = parse({
      instances: [
        { name: 'acme', domoCustomer: 'acme-corp', secret: 'DomoActivityLake/domo/acme' },
        { name: 'globex', domoCustomer: 'globex-corp', secret: arn.replace('acme', 'globex') },
        { name: 'initech', secret: 'customers/acme' },
      ],
    });
    expect(config.instances).toHaveLength(3);
  });

  it('rejects a key alias, a key without an imported secret, and a key of another region than the secret', () => {
    expect(
      problemsOf({
        instances: [
          { name: 'a', secret: SECRET, secretKmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:alias/domo' },
          { name: 'b', secretKmsKeyArn: KEY },
          {
            name: 'c',
            secret: SECRET.replace('acme', 'c'),
            secretKmsKeyArn: KEY.replace('eu-west-1', 'us-east-1'),
          },
        ],
      }),
    ).toEqual([
      expect.stringMatching(
        /^activityLake\.instances\[0\]\.secretKmsKeyArn: must be a KMS key ARN .*not an alias.*aws kms describe-key/,
      ),
      expect.stringMatching(
        /^activityLake\.instances\[1\]\.secretKmsKeyArn: applies only to an existing secret named in "secret".*aws\/secretsmanager/,
      ),
      expect.stringMatching(
        /^activityLake\.instances\[2\]\.secretKmsKeyArn: is a key in us-east-1, but the secret is in eu-west-1.*--query KmsKeyId/,
      ),
    ]);
  });
});

describe('activityLake config: settings that cannot work together', () => {
  it('keeps the time-budget margin under half the function timeout', () => {
    expect(problemsOf(withInstances({ ingest: { timeoutMinutes: 2, budgetMarginSeconds: 60 } }))).toEqual([
      expect.stringMatching(
        /^activityLake\.ingest\.budgetMarginSeconds: must be less than half the function timeout \(ingest\.timeoutMinutes 2 = 120 s\).*Set it to 59 or less, or raise ingest\.timeoutMinutes \(got 60\)$/,
      ),
    ]);
    expect(
      parse(withInstances({ ingest: { timeoutMinutes: 2, budgetMarginSeconds: 59 } })).ingest,
    ).toMatchObject({
      timeoutMinutes: 2,
      budgetMarginSeconds: 59,
    });
  });

  // A value out of its own range gets its own message only: a cross-check fed with it advised
  // "rate(-240 minutes)" for a timeout of 600 and a second margin error for a margin of 60000.
  it.each([
    [
      { ingest: { timeoutMinutes: 600 } },
      /^activityLake\.ingest\.timeoutMinutes: must be a whole number from 1 to 15/,
    ],
    [
      { alarms: { ...ALARMS, noSuccessfulRunHours: 0 } },
      /^activityLake\.alarms\.noSuccessfulRunHours: must be a whole number from 1 to 24/,
    ],
    [
      { ingest: { budgetMarginSeconds: 60000 } },
      /^activityLake\.ingest\.budgetMarginSeconds: must be a whole number from/,
    ],
  ])('cross-checks no value that is out of its own range: %j', (raw, problem) => {
    const problems = problemsOf(withInstances(raw));
    expect(problems).toEqual([expect.stringMatching(problem)]);
  });

  it('refuses a lag threshold under the lag a healthy run reports, naming the lowest that works', () => {
    // Every report is at least settleMinutes (150 min) behind: 2 hours could never be met.
    expect(
      problemsOf(withInstances({ ingest: { settleMinutes: 150 }, alarms: { ...ALARMS, lagHours: 2 } })),
    ).toEqual([
      expect.stringMatching(
        /^activityLake\.alarms\.lagHours: is below the lag every healthy ingest run may report: .*at least 150 minutes, so the Lag alarm would never leave ALARM, and up to settleMinutes \+ 60 minutes \+ the run's time \(ingest\.timeoutMinutes 10\) = 220 minutes.*Set alarms\.lagHours to 4 or more, or lower ingest\.settleMinutes \(got 2\)$/,
      ),
    ]);
    // Left out, lagHours is the default the check judged, which the error names.
    expect(problemsOf(withInstances({ ingest: { settleMinutes: 150 }, alarms: ALARMS }))).toEqual([
      expect.stringMatching(
        /Set alarms\.lagHours to 4 or more, or lower ingest\.settleMinutes \(got nothing, so the default 3\)$/,
      ),
    ]);
    // Over the settle time, but under what a run that starts just before an hour settles reports.
    expect(
      problemsOf(withInstances({ ingest: { settleMinutes: 150 }, alarms: { ...ALARMS, lagHours: 3 } })),
    ).toEqual([expect.stringMatching(/at least 150 minutes, and up to .*Set alarms\.lagHours to 4 or more/)]);
    expect(
      parse(withInstances({ ingest: { settleMinutes: 150 }, alarms: { ...ALARMS, lagHours: 4 } })).alarms
        .lagHours,
    ).toBe(4);
    // The edge: 50 + 60 + 10 = 120 minutes fits 2 hours exactly; one more minute does not.
    expect(
      parse(withInstances({ ingest: { settleMinutes: 50 }, alarms: { ...ALARMS, lagHours: 2 } })).alarms
        .lagHours,
    ).toBe(2);
    expect(
      problemsOf(
        withInstances({
          ingest: { settleMinutes: 50, timeoutMinutes: 11 },
          alarms: { ...ALARMS, lagHours: 2 },
        }),
      ),
    ).toEqual([expect.stringMatching(/= 121 minutes.*Set alarms\.lagHours to 3 or more/)]);
  });

  it("refuses a report schedule that claims a week before the ingest has pulled the week's last hour", () => {
    const report = (schedule: string, extra: Record<string, unknown> = {}) => ({
      report: { enabled: true, sender: 'r@acme-co.com', recipients: ['a@acme-co.com'], schedule, ...extra },
    });
    // 23:00-24:00 settles 15 min, waits up to 15 for a run, which starts up to 5 late and takes up to 10: 45 minutes.
    expect(problemsOf(withInstances(report('cron(0 0 ? * MON *)')))).toEqual([
      expect.stringMatching(
        /^activityLake\.report\.schedule: fires right as a week ends \(Monday 00:00 in report\.timeZone "UTC"\), before the ingest has pulled the week's last hour: .*45 minutes in all\. The report claims the week on that first run and never sends it again.*Fire at least 45 minutes after Monday 00:00, e\.g\. "cron\(45 0 \? \* MON \*\)", or the default "cron\(0 7 \? \* MON \*\)" \(got "cron\(0 0 \? \* MON \*\)"\)$/,
      ),
    ]);
    expect(problemsOf(withInstances(report('cron(44 0 ? * MON *)')))).toEqual([
      expect.stringMatching(/first fires 44 minutes after a week ends/),
    ]);
    expect(parse(withInstances(report('cron(45 0 ? * MON *)'))).report.schedule).toBe('cron(45 0 ? * MON *)');
    // A rate's first run of a week may come at any moment.
    expect(problemsOf(withInstances(report('rate(7 days)')))).toEqual([
      expect.stringMatching(
        /^activityLake\.report\.schedule: is a rate, which runs at times set by the deploy/,
      ),
    ]);
    // A monthly report on the 1st claims a week whenever the 1st is a Monday.
    expect(problemsOf(withInstances(report('cron(0 0 1 * ? *)')))).toHaveLength(1);
    // In India the week ends at 18:30 UTC, and the ingest pulls the hour to 19:00.
    expect(problemsOf(withInstances(report('cron(45 0 ? * MON *)', { timeZone: 'Asia/Kolkata' })))).toEqual([
      expect.stringMatching(
        /ending 30 minutes after the week.*75 minutes in all.*"cron\(15 1 \? \* MON \*\)"/,
      ),
    ]);
    // The ingest's longest gap counts: an hourly ingest may start up to an hour after the hour settled.
    expect(
      problemsOf(
        withInstances({
          ...report('cron(0 1 ? * MON *)'),
          ingest: { schedule: 'rate(1 hour)', settleMinutes: 30 },
        }),
      ),
    ).toEqual([expect.stringMatching(/1 hour later.*105 minutes in all.*"cron\(45 1 \? \* MON \*\)"/)]);
    // Left out, the schedule is the default the check judged: an ingest twice a day misses it.
    expect(
      problemsOf(
        withInstances({
          report: { enabled: true, sender: 'r@acme-co.com', recipients: ['a@acme-co.com'] },
          ingest: { schedule: 'cron(0 2,14 * * ? *)' },
        }),
      ),
    ).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^activityLake\.report\.schedule: .*\(got nothing, so the default "cron\(0 7 \? \* MON \*\)"\)$/,
        ),
      ]),
    );
    // Scheduler may start a run 5 minutes late: one due 5 minutes or less before the week ends may
    // run after it, and report the week that has just ended before its last hour is in the lake.
    expect(problemsOf(withInstances(report('cron(57 23 ? * SUN *)')))).toEqual([
      expect.stringMatching(
        /^activityLake\.report\.schedule: report\.schedule "cron\(57 23 \? \* SUN \*\)" fires as little as 3 minutes before a week ends \(Monday 00:00 in report\.timeZone "UTC"\), and EventBridge Scheduler may start a run up to 5 minutes late: .*before the ingest has pulled its last hour \(45 minutes after the week ends\)\..*partial for good\. Fire report\.schedule at least 3 minutes earlier, or at least 48 minutes later \(got "cron\(57 23 \? \* SUN \*\)"\)$/,
      ),
    ]);
    expect(problemsOf(withInstances(report('cron(55 23 ? * SUN *)')))).toEqual([
      expect.stringMatching(/fires as little as 5 minutes before a week ends/),
    ]);
    expect(parse(withInstances(report('cron(54 23 ? * SUN *)'))).report.schedule).toBe(
      'cron(54 23 ? * SUN *)',
    );
    // A later day is past the end of the week before; a report that is off is not checked.
    expect(parse(withInstances(report('cron(0 0 ? * TUE *)'))).report.enabled).toBe(true);
    expect(
      parse(withInstances(report('cron(0 0 ? * MON *)', { enabled: false, sender: null, recipients: [] })))
        .report.enabled,
    ).toBe(false);
  });

  it('refuses a rate schedule the no-successful-run alarm cannot see a run in every period of', () => {
    // A period of 6 h holds a run's end only when interval + timeout (10 min) fits: at most 350 min.
    expect(problemsOf(withInstances({ ingest: { schedule: 'rate(6 hours)' } }))).toEqual([
      expect.stringMatching(
        /^activityLake\.ingest\.schedule: runs every 6 hours, too seldom for alarms\.noSuccessfulRunHours \(6\).*fire while every run succeeds\. Run at least every 350 minutes \("rate\(350 minutes\)"\), or raise alarms\.noSuccessfulRunHours to 7 \(got "rate\(6 hours\)"\)$/,
      ),
    ]);
    expect(parse(withInstances({ ingest: { schedule: 'rate(350 minutes)' } })).ingest.schedule).toBe(
      'rate(350 minutes)',
    );
    expect(
      parse(
        withInstances({
          ingest: { schedule: 'rate(6 hours)' },
          alarms: { ...ALARMS, noSuccessfulRunHours: 7 },
        }),
      ).alarms.noSuccessfulRunHours,
    ).toBe(7);
    // Past the alarm's 24-hour maximum only the schedule can change.
    expect(problemsOf(withInstances({ ingest: { schedule: 'rate(1 day)' } }))).toEqual([
      expect.stringMatching(
        /Run at least every 350 minutes \("rate\(350 minutes\)"\) \(got "rate\(1 day\)"\)$/,
      ),
    ]);
  });

  it('refuses a rate schedule shorter than the function timeout (runs would queue up)', () => {
    expect(problemsOf(withInstances({ ingest: { schedule: 'rate(5 minutes)' } }))).toEqual([
      expect.stringMatching(
        /^activityLake\.ingest\.schedule: runs every 5 minutes, more often than a run may last \(ingest\.timeoutMinutes 10\).*failure queue.*Use "rate\(10 minutes\)" or longer, or lower ingest\.timeoutMinutes to 5/,
      ),
    ]);
    expect(
      parse(withInstances({ ingest: { schedule: 'rate(5 minutes)', timeoutMinutes: 5 } })).ingest.schedule,
    ).toBe('rate(5 minutes)');
  });

  // zod's own words ("Invalid input: expected object, received string") say nothing of the fix.
  it.each([
    [
      { athena: { databaseName: null } },
      'athena.databaseName: must be a string; leave the key out to use its default (got null)',
    ],
    [
      { retention: { logDays: '90' } },
      'retention.logDays: must be a number: write it without quotes (got "90")',
    ],
    [{ stackName: 5 }, 'stackName: must be a string (got 5)'],
    [
      { instances: ['main'] },
      'instances[0]: must be an instance object such as { "name": "acme" }, not its name alone (got "main")',
    ],
    [
      { alarms: 'ops@acme-co.com' },
      'alarms: must be an object of alarms settings, e.g. { "email": "ops@<your-domain>" } (got "ops@acme-co.com")',
    ],
  ])('says how to fix a value of the wrong type: %j', (raw, problem) => {
    expect(problemsOf({ ...withInstances({ alarms: ALARMS }), ...raw })).toEqual([`activityLake.${problem}`]);
  });

  it.each(['report', 'alerts'])(
    'refuses a "Name <addr>" %s.sender, naming the bare address to write',
    (section) => {
      expect(
        problemsOf(withInstances({ [section]: { sender: 'Domo reports <reports@acme-co.com>' } })),
      ).toEqual([
        expect.stringMatching(
          new RegExp(
            `^activityLake\\.${section}\\.sender: is a display-name form: write the bare address "reports@acme-co\\.com"`,
          ),
        ),
      ]);
    },
  );

  it('advises for rate(1 minute) only what passes every rule when followed', () => {
    const [problem] = problemsOf(withInstances({ ingest: { schedule: 'rate(1 minute)' } }));
    expect(problem).toMatch(
      /Use "rate\(10 minutes\)" or longer, or lower ingest\.timeoutMinutes to 1 and ingest\.budgetMarginSeconds to 29 or less \(got "rate\(1 minute\)"\)$/,
    );
    expect(parse(withInstances({ ingest: { schedule: 'rate(10 minutes)' } })).ingest.schedule).toBe(
      'rate(10 minutes)',
    );
    const followed = { schedule: 'rate(1 minute)', timeoutMinutes: 1, budgetMarginSeconds: 29 };
    expect(parse(withInstances({ ingest: followed })).ingest).toMatchObject(followed);
  });

  it('refuses cron expressions EventBridge Scheduler would refuse at deploy, saying why', () => {
    expect(problemsOf(withInstances({ report: { schedule: 'cron(0 7 * * MON *)' } }))).toEqual([
      expect.stringMatching(
        /^activityLake\.report\.schedule: day-of-month "\*" and day-of-week "MON" are both set: one of them must be "\?" \(e\.g\. "cron\(0 7 \? \* MON \*\)" for Mondays/,
      ),
    ]);
    expect(problemsOf(withInstances({ report: { schedule: 'cron(0 25 ? * MON *)' } }))).toEqual([
      expect.stringMatching(
        /^activityLake\.report\.schedule: hours "25" is not a value or range of hours \(0-23\)/,
      ),
    ]);
    expect(problemsOf(withInstances({ report: { schedule: 'cron(0 7 ? * ? *)' } }))).toEqual([
      expect.stringMatching(/^activityLake\.report\.schedule: day-of-month and day-of-week are both "\?"/),
    ]);
    expect(parse(withInstances({ ingest: { schedule: 'cron(*/15 * * * ? *)' } })).ingest.schedule).toBe(
      'cron(*/15 * * * ? *)',
    );
  });

  it('refuses a cron schedule whose closest firings are nearer than the function timeout', () => {
    expect(
      problemsOf(withInstances({ ingest: { schedule: 'cron(*/5 * * * ? *)', timeoutMinutes: 15 } })),
    ).toEqual([
      expect.stringMatching(
        /^activityLake\.ingest\.schedule: fires as little as 5 minutes apart, less than a run may last \(ingest\.timeoutMinutes 15\).*pile up.*failure queue.*Use "rate\(15 minutes\)" or longer, or a cron whose firings are all at least 15 minutes apart \(the last firing of an hour or a day and the first of the next too\), or lower ingest\.timeoutMinutes to 5 \(got "cron\(\*\/5 \* \* \* \? \*\)"\)$/,
      ),
    ]);
    // :00, :25, :50: the 10 minutes from :50 to the next hour count as much as the others.
    expect(
      problemsOf(withInstances({ ingest: { schedule: 'cron(0/25 * * * ? *)', timeoutMinutes: 15 } })),
    ).toEqual([
      expect.stringMatching(/^activityLake\.ingest\.schedule: fires as little as 10 minutes apart/),
    ]);
    for (const schedule of ['cron(0 * * * ? *)', 'cron(0,30 * * * ? *)']) {
      expect(parse(withInstances({ ingest: { schedule, timeoutMinutes: 15 } })).ingest.schedule).toBe(
        schedule,
      );
    }
  });

  it('refuses a daily cron schedule with a gap the no-successful-run alarm cannot see a run in', () => {
    // Once a day: 24 h + the 10-minute timeout fit in no alarm period, not even the longest (24 h).
    expect(
      problemsOf(
        withInstances({
          ingest: { schedule: 'cron(0 2 * * ? *)' },
          alarms: { ...ALARMS, noSuccessfulRunHours: 24 },
        }),
      ),
    ).toEqual([
      expect.stringMatching(
        /^activityLake\.ingest\.schedule: fires as much as 24 hours apart, too seldom for alarms\.noSuccessfulRunHours \(24\).*fire while every run succeeds\. Leave no gap over 1430 minutes between two firings \(the last of a day and the first of the next too\), or use "rate\(1430 minutes\)" \(got "cron\(0 2 \* \* \? \*\)"\)$/,
      ),
    ]);
    // Twice a day: 12 h + 10 min fit in a 13-hour period, so raising the alarm's period is a fix too.
    expect(problemsOf(withInstances({ ingest: { schedule: 'cron(0 8,20 * * ? *)' } }))).toEqual([
      expect.stringMatching(
        /^activityLake\.ingest\.schedule: fires as much as 12 hours apart, too seldom for alarms\.noSuccessfulRunHours \(6\).*Leave no gap over 350 minutes.*or use "rate\(350 minutes\)", or raise alarms\.noSuccessfulRunHours to 13 \(got/,
      ),
    ]);
    expect(
      parse(
        withInstances({
          ingest: { schedule: 'cron(0 8,20 * * ? *)' },
          alarms: { ...ALARMS, noSuccessfulRunHours: 13 },
        }),
      ).ingest.schedule,
    ).toBe('cron(0 8,20 * * ? *)');
  });

  it('refuses a cron schedule that skips days, since no alarm period spans a day without a run', () => {
    expect(problemsOf(withInstances({ ingest: { schedule: 'cron(0 * ? * MON-FRI *)' } }))).toEqual([
      expect.stringMatching(
        /^activityLake\.ingest\.schedule: fires only on some days \(day-of-week "MON-FRI"\), so two of its firings are at least 49 hours apart, too seldom for alarms\.noSuccessfulRunHours \(6\).*fire while every run succeeds; that setting goes up to 24 only, so no schedule that skips a day fits\. Fire every day \("\*" in day-of-month, month and year, "\?" in day-of-week\) with no gap over 350 minutes, or use "rate\(350 minutes\)" \(got "cron\(0 \* \? \* MON-FRI \*\)"\)$/,
      ),
    ]);
    expect(problemsOf(withInstances({ ingest: { schedule: 'cron(0 0 ? * MON *)' } }))).toEqual([
      expect.stringMatching(
        /fires only on some days \(day-of-week "MON"\), so two of its firings are at least 168 hours apart, too seldom/,
      ),
    ]);
    // The same hours written as every day of the week fit.
    expect(parse(withInstances({ ingest: { schedule: 'cron(0 * ? * SUN-SAT *)' } })).ingest.schedule).toBe(
      'cron(0 * ? * SUN-SAT *)',
    );
  });
});

describe('rateMinutes', () => {
  it('reads the interval of valid rate expressions only', () => {
    expect(rateMinutes('rate(1 minute)')).toBe(1);
    expect(rateMinutes('rate(15 minutes)')).toBe(15);
    expect(rateMinutes('rate(2 hours)')).toBe(120);
    expect(rateMinutes('rate(1 day)')).toBe(1440);
    expect(rateMinutes('rate(1 minutes)')).toBeUndefined();
    expect(rateMinutes('rate(0 minutes)')).toBeUndefined();
    expect(rateMinutes('cron(0 7 ? * MON *)')).toBeUndefined();
  });
});

// Helper CORRTRIG: the corrections-only run's schedule, on by default, changed or turned off.
describe('report.correctionSchedule', () => {
  const report = (extra: Record<string, unknown> = {}) =>
    withInstances({
      report: { enabled: true, sender: 'r@acme-co.com', recipients: ['a@acme-co.com'], ...extra },
    });

  it('is daily at 14:00 by default, takes a rate or a cron, and null turns the run off', () => {
    expect(parse(report()).report.correctionSchedule).toBe('cron(0 14 * * ? *)');
    expect(parse(report({ correctionSchedule: 'rate(6 hours)' })).report.correctionSchedule).toBe(
      'rate(6 hours)',
    );
    expect(parse(report({ correctionSchedule: null })).report.correctionSchedule).toBeNull();
  });

  it('refuses one that fires less than an hour apart, never again, or is no schedule', () => {
    expect(problemsOf(report({ correctionSchedule: 'rate(30 minutes)' }))).toEqual([
      expect.stringMatching(
        /^activityLake\.report\.correctionSchedule: fires as little as 30 minutes apart: .*Fire at most once an hour, e\.g\. "rate\(6 hours\)" or the default "cron\(0 14 \* \* \? \*\)" \(daily\), or null to turn the run off/,
      ),
    ]);
    expect(problemsOf(report({ correctionSchedule: 'cron(0/20 * * * ? *)' }))).toEqual([
      expect.stringMatching(/correctionSchedule: fires as little as 20 minutes apart/),
    ]);
    expect(problemsOf(report({ correctionSchedule: 'cron(0 14 * * ? 2020)' }))).toEqual([
      expect.stringMatching(/correctionSchedule: never fires again .*no correction is mailed by it again/),
    ]);
    expect(problemsOf(report({ correctionSchedule: 'daily' }))).toEqual([
      expect.stringMatching(/^activityLake\.report\.correctionSchedule: /),
    ]);
  });
});

// Review R2CORR: a malformed correctionSchedule was offered "rate(15 minutes)", which the field
// then refuses (under an hour apart), and a value of another type was not told null turns it off.
describe('report.correctionSchedule, malformed', () => {
  const report = (correctionSchedule: unknown) =>
    withInstances({
      report: { enabled: true, sender: 'r@acme-co.com', recipients: ['a@acme-co.com'], correctionSchedule },
    });

  it('offers expressions the field takes, and says null turns the run off', () => {
    const offered = [
      ...problemsOf(report('daily')),
      ...problemsOf(report('rate(six hours)')),
      ...problemsOf(report('cron(0 14 * *)')),
    ].flatMap((problem) =>
      [...problem.matchAll(/e\.g\. ("[^"]+")(?: or ("[^"]+"))?/g)].flatMap((m) => m.slice(1)),
    );
    const expressions = offered
      .filter((e): e is string => e !== undefined)
      .map((e) => JSON.parse(e) as string);
    expect(new Set(expressions)).toEqual(new Set(['rate(6 hours)', 'cron(0 14 * * ? *)']));
    for (const expression of expressions)
      expect(parse(report(expression)).report.correctionSchedule).toBe(expression);
    expect(problemsOf(report(14))).toEqual([
      expect.stringMatching(
        /correctionSchedule: must be an EventBridge Scheduler expression such as "cron\(0 14 \* \* \? \*\)", or null to turn the run off/,
      ),
    ]);
  });
});
