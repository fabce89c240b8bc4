import { describe, expect, it } from 'vitest';
import { readReportEnv, reportEnvironment, reportEventSchema } from '../../functions/report/config.ts';

const config = {
  instances: ['acme', 'globex'],
  bucket: 'lake-bucket',
  prefix: '',
  workGroup: 'wg',
  database: 'db',
  timeZone: 'America/Denver',
  sender: 'Domo activity <reports@example.com>',
  recipients: ['a@example.com', 'b@example.com'],
};

describe('report function environment', () => {
  it('round-trips through the variables the CDK app sets', () => {
    const env = reportEnvironment(config);
    expect(env).toMatchObject({
      REPORT_INSTANCES: 'acme,globex',
      REPORT_RECIPIENTS: 'a@example.com,b@example.com',
    });
    expect(readReportEnv(env)).toEqual(config);
  });

  it('lists every problem and says to redeploy', () => {
    const env = {
      ...reportEnvironment(config),
      REPORT_INSTANCES: 'Acme Corp',
      REPORT_TIME_ZONE: 'Mars/Olympus',
      REPORT_RECIPIENTS: 'not-an-address',
      ATHENA_WORKGROUP: undefined,
    };
    expect(() => readReportEnv(env)).toThrow(
      /REPORT_INSTANCES: instance name "Acme Corp" is not valid.*ATHENA_WORKGROUP is not set.*REPORT_TIME_ZONE: time zone "Mars\/Olympus".*REPORT_RECIPIENTS: "not-an-address" is not an email address.*redeploy/,
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
});
