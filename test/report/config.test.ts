import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readReportEnv, reportEnvironment, reportEventSchema } from '../../functions/report/config.ts';

const config = {
  stack: 'DomoActivityLake',
  instances: ['acme', 'globex'],
  bucket: 'lake-bucket',
  prefix: '',
  workGroup: 'wg',
  database: 'db',
  timeZone: 'America/Denver',
  sender: 'Domo activity <reports@example.com>',
  recipients: ['a@example.com', 'b@example.com'],
  alertsEnabled: true,
};

describe('report function environment', () => {
  it('round-trips through the variables the CDK app sets', () => {
    const env = reportEnvironment(config);
    expect(env).toMatchObject({
      REPORT_INSTANCES: 'acme,globex',
      REPORT_RECIPIENTS: 'a@example.com,b@example.com',
      REPORT_ALERTS_ENABLED: 'true',
    });
    expect(readReportEnv(env)).toEqual(config);
    const off = { ...config, alertsEnabled: false };
    expect(reportEnvironment(off)).toMatchObject({ REPORT_ALERTS_ENABLED: 'false' });
    expect(readReportEnv(reportEnvironment(off))).toEqual(off);
  });

  it('lists every problem and says to redeploy', () => {
    const env = {
      ...reportEnvironment(config),
      REPORT_INSTANCES: 'Acme Corp',
      REPORT_TIME_ZONE: 'Mars/Olympus',
      REPORT_SENDER: 'Reports <reports-at-example.com>',
      REPORT_RECIPIENTS: 'not-an-address',
      ATHENA_WORKGROUP: undefined,
      REPORT_ALERTS_ENABLED: 'yes',
    };
    expect(() => readReportEnv(env)).toThrow(
      /REPORT_INSTANCES: instance name "Acme Corp" is not valid.*ATHENA_WORKGROUP is not set.*REPORT_TIME_ZONE: time zone "Mars\/Olympus".*REPORT_SENDER: "Reports <reports-at-example.com>" is not an email address.*REPORT_RECIPIENTS: "not-an-address" is not an email address.*REPORT_ALERTS_ENABLED is "yes": it must be true, false, or the alerts' historyDays\/minHistoryLogins\/maxSpeedKmh \(1-90\/1-10000\/100-20000, for example 60\/10\/1000\).*redeploy/,
    );
    expect(() => readReportEnv({ ...reportEnvironment(config), REPORT_RECIPIENTS: ' , ' })).toThrow(
      /REPORT_RECIPIENTS lists nothing, and acme, globex have no recipients/,
    );
    // A function the stack set up before the variable existed: redeploying sets it.
    expect(() => readReportEnv({ ...reportEnvironment(config), REPORT_ALERTS_ENABLED: undefined })).toThrow(
      /REPORT_ALERTS_ENABLED is not set.*redeploy/,
    );
  });
});

// The report's note on the alerts said 30 days of history whatever alerts.historyDays was.
describe("report function environment: the alerts' sign-in judging", () => {
  const judging = { historyDays: 60, minHistoryLogins: 5, maxSpeedKmh: 800 };

  it('rides in REPORT_ALERTS_ENABLED in place of true when it is not the default, and reads back', () => {
    const set = { ...config, alertJudging: judging };
    expect(reportEnvironment(set)).toMatchObject({ REPORT_ALERTS_ENABLED: '60/5/800' });
    expect(readReportEnv(reportEnvironment(set))).toEqual(set);
    // One setting off its default carries all three.
    const one = { ...config, alertJudging: { historyDays: 30, minHistoryLogins: 10, maxSpeedKmh: 900 } };
    expect(reportEnvironment(one)).toMatchObject({ REPORT_ALERTS_ENABLED: '30/10/900' });
    expect(readReportEnv(reportEnvironment(one))).toEqual(one);
  });

  it('is plain true at the defaults, as every function deployed before it has, and false without alerts', () => {
    const defaults = { historyDays: 30, minHistoryLogins: 10, maxSpeedKmh: 1000 };
    expect(reportEnvironment({ ...config, alertJudging: defaults })).toMatchObject({
      REPORT_ALERTS_ENABLED: 'true',
    });
    expect(readReportEnv(reportEnvironment(config))).not.toHaveProperty('alertJudging');
    const off = reportEnvironment({ ...config, alertsEnabled: false, alertJudging: judging });
    expect(off).toMatchObject({ REPORT_ALERTS_ENABLED: 'false' });
  });

  it('refuses a value out of range or of other than three numbers, naming the form', () => {
    for (const value of ['91/10/1000', '30/10', '30/10/1000/1', '30/10/99', 'true/'])
      expect(() => readReportEnv({ ...reportEnvironment(config), REPORT_ALERTS_ENABLED: value })).toThrow(
        `REPORT_ALERTS_ENABLED is "${value}": it must be true, false, or the alerts' historyDays/minHistoryLogins/maxSpeedKmh`,
      );
  });

  it('leaves out LAKE_PREFIX when empty, as the stack sets it: the bytes the judging takes', () => {
    expect(reportEnvironment(config)).not.toHaveProperty('LAKE_PREFIX');
    expect(readReportEnv(reportEnvironment(config)).prefix).toBe('');
    expect(reportEnvironment({ ...config, prefix: 'lake/' })).toMatchObject({ LAKE_PREFIX: 'lake/' });
  });
});

// Review R-SECOND5 M1: the report ran with 4 failures before a sign-in, whatever the alerts'.
describe("report function environment: the alerts' and the lag alarm's settings", () => {
  it('carries them when the stack passes them, and reads the defaults without them', () => {
    const both = { ...config, failuresBeforeLogin: 7, ingestLagHours: 12 };
    expect(reportEnvironment(both)).toMatchObject({
      REPORT_FAILURES_BEFORE_LOGIN: '7',
      REPORT_INGEST_LAG_HOURS: '12',
    });
    expect(readReportEnv(reportEnvironment(both))).toEqual(both);
    // A function configured before they were passed reads neither (the report's defaults apply).
    expect(reportEnvironment(config)).not.toHaveProperty('REPORT_FAILURES_BEFORE_LOGIN');
    expect(readReportEnv({ ...reportEnvironment(config), REPORT_INGEST_LAG_HOURS: '' })).toEqual(config);
  });

  it('leaves out a setting at its default: the largest stack has no byte of the 4 KB to spare', () => {
    const defaults = { ...config, failuresBeforeLogin: 4, ingestLagHours: 3 };
    const env = reportEnvironment(defaults);
    expect(env).not.toHaveProperty('REPORT_FAILURES_BEFORE_LOGIN');
    expect(env).not.toHaveProperty('REPORT_INGEST_LAG_HOURS');
  });

  it('refuses a value that is no whole number in range, naming the variable and the range', () => {
    const env = {
      ...reportEnvironment(config),
      REPORT_FAILURES_BEFORE_LOGIN: '1',
      REPORT_INGEST_LAG_HOURS: '3h',
    };
    expect(() => readReportEnv(env)).toThrow(
      /REPORT_FAILURES_BEFORE_LOGIN is "1": it must be a whole number from 2 to 1000 \(failed logins of one user in the hour before a sign-in that make it an alert\).*REPORT_INGEST_LAG_HOURS is "3h": it must be a whole number from 2 to 168.*redeploy/,
    );
  });
});

// Review R-PRIVACY H1: the report did not know retention.maxDays, so an expired week read as empty.
describe('report function environment: retention.maxDays', () => {
  it('carries it when the stack has one, reads none without it, and refuses one out of range', () => {
    const kept = { ...config, maxDays: 400 };
    expect(reportEnvironment(kept)).toMatchObject({ LAKE_MAX_DAYS: '400' });
    expect(readReportEnv(reportEnvironment(kept))).toEqual(kept);
    expect(reportEnvironment(config)).not.toHaveProperty('LAKE_MAX_DAYS');
    expect(() => readReportEnv({ ...reportEnvironment(config), LAKE_MAX_DAYS: '0' })).toThrow(
      /LAKE_MAX_DAYS is "0": it must be a whole number from 1 to 36500 \(retention.maxDays\)/,
    );
  });
});

// review F-MULTI2: an instance's report may go to its own recipients, shown in its own zone.
describe('report function environment: settings of an instance', () => {
  const instanceMail = { globex: { recipients: ['it@globex.example.org'], timeZone: 'Asia/Tokyo' } };

  it('carries them only when an instance has them, so a stack without deploys as before', () => {
    expect(reportEnvironment(config)).not.toHaveProperty('REPORT_INSTANCE_MAIL');
    expect(reportEnvironment({ ...config, instanceMail: {} })).not.toHaveProperty('REPORT_INSTANCE_MAIL');
    const env = reportEnvironment({ ...config, instanceMail });
    expect(readReportEnv(env)).toEqual({ ...config, instanceMail });
    // The stack-wide list may be empty once every instance has its own.
    const all = { acme: { recipients: ['a@example.com'] }, globex: { recipients: ['g@example.com'] } };
    expect(
      readReportEnv(reportEnvironment({ ...config, recipients: [], instanceMail: all })).recipients,
    ).toEqual([]);
  });

  it('refuses a bad address or zone, an instance it does not report, and an instance mailing nobody', () => {
    const env = reportEnvironment(config);
    const bad = {
      ...env,
      REPORT_INSTANCE_MAIL: JSON.stringify({
        globex: { recipients: ['not-an-address'], timeZone: 'Mars/Olympus' },
      }),
    };
    expect(() => readReportEnv(bad)).toThrow(
      /invalid: REPORT_INSTANCE_MAIL: "not-an-address" is not an email address; REPORT_INSTANCE_MAIL: time zone "Mars\/Olympus".*redeploy/,
    );
    const stale = { ...env, REPORT_INSTANCE_MAIL: JSON.stringify({ initech: { timeZone: 'UTC' } }) };
    expect(() => readReportEnv(stale)).toThrow(/REPORT_INSTANCE_MAIL: "initech" is not in REPORT_INSTANCES/);
    expect(() => readReportEnv({ ...env, REPORT_INSTANCE_MAIL: '{' })).toThrow(
      /REPORT_INSTANCE_MAIL: .*JSON/,
    );
    const onlyGlobex = { ...env, REPORT_RECIPIENTS: '', REPORT_INSTANCE_MAIL: JSON.stringify(instanceMail) };
    expect(() => readReportEnv(onlyGlobex)).toThrow(
      /REPORT_RECIPIENTS lists nothing, and acme has no recipients in REPORT_INSTANCE_MAIL/,
    );
  });
});

/**
 * The configuration read in a fresh process that loads only what the report function loads: zod's
 * small build (zod/mini), which loads no locale of its own. Here, the test process has zod's full
 * build loaded too, which sets its English for every schema.
 */
function readInFreshProcess(env: Record<string, string>): string {
  const script = `
    import { readReportEnv } from ${JSON.stringify(resolve('functions/report/config.ts'))};
    try { readReportEnv(${JSON.stringify(env)}); } catch (error) { process.stdout.write(error.message); }
  `;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8',
  });
  expect(child.stderr).toBe('');
  return child.stdout;
}

describe('report function environment, as the bundled function reads it', () => {
  it("gives zod's own words in English, not a bare 'Invalid input'", () => {
    const env = reportEnvironment(config);
    const message = readInFreshProcess({
      ...env,
      REPORT_INSTANCE_MAIL: JSON.stringify({ globex: { recipients: 'it@globex.example.org', zone: 'UTC' } }),
    });
    expect(message).toMatch(
      /REPORT_INSTANCE_MAIL: globex\.recipients: Invalid input: expected array, received string; REPORT_INSTANCE_MAIL: globex: Unrecognized key: "zone"/,
    );
  });
});

describe('report event', () => {
  it('asks for the defaults when the scheduler sends nothing useful', () => {
    for (const event of [undefined, null, {}, 'scheduled', []])
      expect(reportEventSchema.parse(event)).toEqual({});
  });

  it('accepts a week, an instance and a deliberate resend, and refuses malformed ones', () => {
    expect(reportEventSchema.parse({ week: '2026-W47', instance: 'acme', resend: true })).toEqual({
      week: '2026-W47',
      instance: 'acme',
      resend: true,
    });
    expect(reportEventSchema.safeParse({ resend: 'yes' }).success).toBe(false);
    expect(reportEventSchema.safeParse({ week: 'last' }).success).toBe(false);
  });

  it('refuses a key it does not know instead of dropping it (a misspelt week would mean the last full one)', () => {
    const misspelt = reportEventSchema.safeParse({ isoWeek: '2026-W45', resend: true });
    expect(misspelt.success).toBe(false);
    expect(misspelt.error?.issues.map((i) => i.message)).toEqual([
      'unknown key "isoWeek" (the event takes only week, instance, resend, eachInstance, correctionsOnly)',
    ]);
    expect(
      reportEventSchema.safeParse({ Week: '2026-W45', instances: 'acme', resend: true }).error?.issues[0]
        ?.message,
    ).toBe(
      'unknown keys "Week", "instances" (the event takes only week, instance, resend, eachInstance, correctionsOnly)',
    );
  });
});
