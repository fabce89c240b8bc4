import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../infra/config/config-error.ts';
import { parseActivityLakeConfig } from '../../infra/config.ts';
import { reservedDomainOf } from '../../infra/reserved-mail-domain.ts';
import { TEST_NOW } from './synth-helpers.ts';

const problemsOf = (raw: Record<string, unknown>): readonly string[] => {
  try {
    parseActivityLakeConfig({ instances: [{ name: 'acme' }], ...raw }, TEST_NOW);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
};

const REFUSED =
  /is at "example\.com", a domain reserved for examples \(RFC 2606, RFC 6761\) that no mail ever reaches/;

describe('addresses copied from the examples (review R-FIRST M2)', () => {
  it('refuses alarms.email at example.com, saying why', () => {
    const [problem, ...more] = problemsOf({ alarms: { email: 'ops@example.com' } });
    expect(more).toEqual([]);
    expect(problem).toMatch(/^activityLake\.alarms\.email: /);
    expect(problem).toMatch(REFUSED);
    expect(problem).toContain('write an address of your own organisation');
  });

  it("refuses README step 8's report fragment and every alerts address key", () => {
    const problems = problemsOf({
      alarms: { email: 'ops@acme-co.com' },
      report: {
        enabled: true,
        sender: 'domo-reports@example.com',
        recipients: ['security@example.com'],
        sesIdentity: 'example.com',
      },
      alerts: {
        enabled: true,
        sender: 'alerts@example.com',
        recipients: ['soc@example.com'],
        email: ['pager@example.com'],
      },
    });
    const keys = problems.map((problem) => problem.split(':')[0]);
    expect(keys).toEqual([
      'activityLake.report.sender',
      'activityLake.report.recipients[0]',
      'activityLake.report.sesIdentity',
      'activityLake.alerts.sender',
      'activityLake.alerts.recipients[0]',
      'activityLake.alerts.email[0]',
    ]);
    for (const problem of problems) expect(problem).toMatch(REFUSED);
  });

  it('knows the reserved names and their subdomains, and nothing that only looks like them', () => {
    for (const domain of [
      'example.com',
      'Mail.Example.ORG',
      'example.net.',
      'a.example',
      'x.test',
      'y.invalid',
      'localhost',
    ])
      expect(reservedDomainOf(domain), domain).toBeDefined();
    for (const domain of ['notexample.com', 'example.co.uk', 'example.company', 'testing.io', 'acme-co.com'])
      expect(reservedDomainOf(domain), domain).toBeUndefined();
  });

  it('takes an address at a domain of its own', () => {
    expect(problemsOf({ alarms: { email: 'ops@notexample.com' } })).toEqual([]);
  });
});
