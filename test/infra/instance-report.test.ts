/**
 * An instance's own report recipients and zone (`instances[].report`, review F-MULTI2): a company
 * with subsidiaries in several countries mailed every instance's report to the same people, in one
 * zone. Checked as the stack-wide keys are, carried to the report function, granted in SES.
 */
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import { REPORT_ENV } from '../../functions/report/config.ts';
import { ConfigError } from '../../infra/config/config-error.ts';
import { parseActivityLakeConfig } from '../../infra/config.ts';
import {
  actionsOf,
  cfnText,
  DEPLOYABLE_CONFIG,
  resourcesOf,
  statementsOfRole,
  synthStack,
  TEST_NOW,
} from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

const REPORT = { enabled: true, sender: 'reports@acme-co.com', recipients: ['sec@acme-co.com'] };

const problemsOf = (overrides: Record<string, unknown>): string[] => {
  try {
    parseActivityLakeConfig({ ...DEPLOYABLE_CONFIG, ...overrides }, TEST_NOW);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return [...(error as ConfigError).problems];
  }
  return [];
};

/** The problems of a report value written stack-wide and in an instance's report, paths aside. */
function bothWays(key: 'recipients' | 'timeZone', value: unknown): [string[], string[]] {
  const stackWide = problemsOf({ report: { ...REPORT, [key]: value } });
  const own = problemsOf({ instances: [{ name: 'acme', report: { [key]: value } }], report: REPORT });
  return [
    stackWide.map((p) => p.replace(`activityLake.report.${key}`, '<key>')),
    own.map((p) => p.replace(`activityLake.instances[0].report.${key}`, '<key>')),
  ];
}

describe("an instance's report settings: checks", () => {
  it('checks recipients and zone as report.recipients and report.timeZone are, with the same advice', () => {
    const fifty = Array.from({ length: 51 }, (_, i) => `person${i}@acme-co.com`);
    for (const [key, value] of [
      ['recipients', ['not-an-address']],
      ['recipients', ['ops@example.com']],
      ['recipients', ['a@acme-co.com, b@acme-co.com']],
      ['recipients', fifty],
      ['timeZone', 'Europe/Berln'],
      ['timeZone', 'europe/berlin'],
    ] as const) {
      const [stackWide, own] = bothWays(key, value);
      expect(stackWide.length).toBeGreaterThan(0);
      expect(own).toEqual(stackWide);
    }
    expect(problemsOf({ instances: [{ name: 'acme', report: { recipients: [] } }], report: REPORT })).toEqual(
      [
        'activityLake.instances[0].report.recipients: needs at least one address, or leave it out to use report.recipients (got [])',
      ],
    );
  });

  it("advises on an unknown key, and says which report keys stay the whole stack's", () => {
    expect(
      problemsOf({
        instances: [{ name: 'acme', report: { recipents: ['a@acme-co.com'], sender: 'r@acme-co.com' } }],
        report: REPORT,
      }),
    ).toEqual([
      'activityLake.instances[0].report: "sender" is set for the whole stack, in report.sender, not per instance: an instance\'s report takes only its own recipients and timeZone; instances that need different values go in separate stacks (docs/configuration.md "Several instances")',
      'activityLake.instances[0].report: unknown key(s) "recipents" (did you mean "recipients"?); remove them or fix the spelling',
    ]);
  });

  it('needs report.recipients only while an instance has none of its own', () => {
    const own = (name: string) => ({ name, report: { recipients: [`it@${name}-co.com`] } });
    const none = { ...REPORT, recipients: [] };
    expect(problemsOf({ instances: [own('acme'), own('globex')], report: none })).toEqual([]);
    expect(problemsOf({ instances: [own('acme'), { name: 'globex' }], report: none })).toEqual([
      'activityLake.report.recipients: needs at least one address when report.enabled is true, e.g. ["security@<your-domain>"]: the report of "globex" has no instances[].report.recipients of its own (got [])',
    ]);
  });
});

describe("an instance's report zone: the schedule stays report.timeZone's", () => {
  // The default schedule fires Mondays 07:00 UTC: 420 minutes after a UTC week ends, but right as
  // Los Angeles' ends in summer (07:00 UTC), before the ingest can have that week's last hour.
  const withZone = (timeZone: string, schedule = 'cron(0 7 ? * MON *)') =>
    problemsOf({
      instances: [{ name: 'acme', report: { timeZone } }],
      report: { ...REPORT, timeZone: 'UTC', schedule },
    });

  it('refuses a zone whose weeks end too shortly before the schedule fires, saying how much later to fire', () => {
    expect(withZone('America/Los_Angeles')).toEqual([
      expect.stringMatching(
        /^activityLake\.instances\[0\]\.report\.timeZone: a week in this zone ends \(Monday 00:00\) right as report\.schedule "cron\(0 7 \? \* MON \*\)" fires \(in report\.timeZone "UTC"\).*partial for good\. Fire report\.schedule at least 45 minutes later \(got "America\/Los_Angeles"\)$/,
      ),
    ]);
  });

  it("checks each firing of the week: the week's end can fall between two", () => {
    // 06:00 UTC comes before Honolulu's week ends (10:00 UTC), 10:00 right as it ends.
    expect(withZone('Pacific/Honolulu', 'cron(0 6,10 ? * MON *)')).toEqual([
      expect.stringContaining(
        'a week in this zone ends (Monday 00:00) right as report.schedule "cron(0 6,10 ? * MON *)" fires',
      ),
    ]);
    // Los Angeles' week ends at 07:00 or 08:00 UTC: the run at 06:00 reports the week before.
    expect(withZone('America/Los_Angeles', 'cron(0 6 ? * MON *)')).toEqual([]);
  });

  // Honolulu's week ends at 10:00 UTC: a run due at 09:57 UTC that Scheduler starts 5 minutes
  // late reports Honolulu's week that has just ended, before the ingest has its last hour.
  it("refuses a zone whose week ends within Scheduler's start slack after a firing", () => {
    expect(withZone('Pacific/Honolulu', 'cron(57 9 ? * MON *)')).toEqual([
      expect.stringMatching(
        /^activityLake\.instances\[0\]\.report\.timeZone: report\.schedule "cron\(57 9 \? \* MON \*\)" fires as little as 3 minutes before a week ends \(Monday 00:00 in this zone\), and EventBridge Scheduler may start a run up to 5 minutes late: .*Fire report\.schedule at least 3 minutes earlier, or at least 48 minutes later \(got "Pacific\/Honolulu"\)$/,
      ),
    ]);
    expect(withZone('Pacific/Honolulu', 'cron(54 9 ? * MON *)')).toEqual([]);
  });

  // 07:50 UTC is 50 minutes after Los Angeles' week ends in summer (07:00 UTC), 10 minutes
  // before in winter (08:00 UTC): in the week its clocks go forward, two of its weeks end before
  // one run, which reports the later only.
  it('refuses a zone whose week end crosses a firing when clocks change: a week would go unreported', () => {
    expect(withZone('America/Los_Angeles', 'cron(50 7 ? * MON *)')).toEqual([
      'activityLake.instances[0].report.timeZone: two weeks in this zone end before the same run of report.schedule "cron(50 7 ? * MON *)" fires (in report.timeZone "UTC"), around a change of daylight saving time the two zones do not share: the week ending Monday 2026-03-02 00:00 is never reported, as that run reports the later week. Fire report.schedule at a time further from Monday 00:00 in this zone (at least an hour more before or after it) (got "America/Los_Angeles")',
    ]);
  });

  it('takes a zone whose weeks end early enough, and one whose week has not ended when it fires', () => {
    expect(withZone('Asia/Tokyo')).toEqual([]);
    // Ends at 05:00 or 06:00 UTC: 1-2 hours to spare.
    expect(withZone('America/Chicago')).toEqual([]);
    // Ends at 10:00 UTC: the run at 07:00 reports the week before, whole.
    expect(withZone('Pacific/Honolulu')).toEqual([]);
  });
});

describe("an instance's report settings: the stack", () => {
  const { template } = synthStack({
    instances: [
      { name: 'acme' },
      { name: 'globex', report: { recipients: ['it@globex-co.de'], timeZone: 'Europe/Berlin' } },
    ],
    report: { ...REPORT, timeZone: 'America/New_York' },
  });

  it("hands the report function that instance's settings only, the others keeping the stack's", () => {
    const reportVars = Object.values(template.findResources('AWS::Lambda::Function'))
      .map((fn) => fn.Properties?.Environment?.Variables ?? {})
      .find((vars) => vars[REPORT_ENV.instances] !== undefined);
    expect(reportVars?.[REPORT_ENV.recipients]).toBe('sec@acme-co.com');
    expect(reportVars?.[REPORT_ENV.timeZone]).toBe('America/New_York');
    expect(JSON.parse(reportVars?.[REPORT_ENV.instanceMail])).toEqual({
      globex: { recipients: ['it@globex-co.de'], timeZone: 'Europe/Berlin' },
    });
  });

  it("grants sending to that instance's recipients (the sandbox checks them), from the sender only", () => {
    const sends = statementsOfRole(template, '/WeeklyReport/Report/Role/').filter((s) =>
      actionsOf(s).includes('ses:SendEmail'),
    );
    const identities = sends.flatMap((s) => resourcesOf(s).map(cfnText));
    for (const name of ['sec@acme-co.com', 'it@globex-co.de', 'globex-co.de'])
      expect(identities.some((arn) => arn.endsWith(`:identity/${name}`))).toBe(true);
    // Every instance's recipients and the stack's, and no one else: a changed function mails no one else.
    for (const s of sends)
      expect(s.Condition).toEqual({
        StringEqualsIgnoreCase: { 'ses:FromAddress': 'reports@acme-co.com' },
        'ForAllValues:StringEqualsIgnoreCase': { 'ses:Recipients': ['sec@acme-co.com', 'it@globex-co.de'] },
      });
  });

  it("fails the synth, not the deploy, when the instances' recipients outgrow the function's environment", () => {
    const many = (name: string) =>
      Array.from({ length: 40 }, (_, i) => `firstname.lastname${i}@${name}.subsidiary.acme-co.com`);
    expect(() =>
      synthStack({
        instances: ['acme', 'globex', 'initech'].map((name) => ({
          name,
          report: { recipients: many(name) },
        })),
        report: REPORT,
      }),
    ).toThrow(
      /report function's environment would be up to \d+ bytes.*REPORT_INSTANCE_MAIL.*distribution list/,
    );
  });
});
