import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../infra/config/config-error.ts';
import { parseActivityLakeConfig } from '../../infra/config.ts';
import { DEPLOYABLE_CONFIG, sharedSynth, TEST_NOW } from './synth-helpers.ts';

// Review R-MULTI M2: Domo may write its zone-less time strings in each instance's zone, and one
// ingest.docTimeZone per stack could fit only one of them.
const TWO_ZONES = {
  ingest: { docTimeZone: 'America/New_York' },
  instances: [{ name: 'acme' }, { name: 'acme-eu', docTimeZone: 'Europe/Berlin' }],
};

const problemsOf = (instances: unknown[]): string[] => {
  try {
    parseActivityLakeConfig({ ...DEPLOYABLE_CONFIG, instances }, TEST_NOW);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return [...(error as ConfigError).problems];
  }
  throw new Error('expected the config to be rejected');
};

describe('an instance docTimeZone', () => {
  it("reaches that instance's ingest function only; the others keep ingest.docTimeZone", () => {
    const { template } = sharedSynth(TWO_ZONES);
    const zones = Object.values(template.findResources('AWS::Lambda::Function'))
      .map((fn) => fn.Properties?.Environment?.Variables ?? {})
      .filter((vars) => vars.DOMO_DOC_TIME_ZONE !== undefined)
      .map((vars) => [vars.LAKE_INSTANCE, vars.DOMO_DOC_TIME_ZONE]);
    expect(Object.fromEntries(zones)).toEqual({ acme: 'America/New_York', 'acme-eu': 'Europe/Berlin' });
  });

  it('is checked as ingest.docTimeZone is, under its own path', () => {
    expect(problemsOf([{ name: 'acme' }, { name: 'acme-eu', docTimeZone: 'Europe/Berln' }])).toEqual([
      'activityLake.instances[1].docTimeZone: is not an IANA time zone name; use one such as "UTC", "Europe/London" or "America/New_York" (got "Europe/Berln")',
    ]);
  });

  // review R-MSP2 L1: a customer's own alerts, alarms or ingest section was "unknown key(s)".
  it('tells the alerts, alarms and ingest sections written in an instance where they are set', () => {
    const problems = problemsOf([
      { name: 'acme', alerts: { email: ['soc@acme-co.com'] }, alarms: { email: 'it@acme-co.com' } },
      { name: 'acme-eu', ingest: { schedule: 'rate(1 hour)' } },
    ]);
    expect(problems).toEqual([
      expect.stringMatching(
        /^activityLake\.instances\[0\]: "alerts" is set for the whole stack, in the alerts section, whose recipients and email get every instance's alerts .*go in separate stacks/,
      ),
      expect.stringMatching(
        /^activityLake\.instances\[0\]: "alarms" is set for the whole stack, in the alarms section/,
      ),
      expect.stringMatching(
        /^activityLake\.instances\[1\]: "ingest" is set for the whole stack, in the ingest section \(an instance takes its own docTimeZone\)/,
      ),
    ]);
  });

  it('is the only per-instance ingest one: the stack-wide settings say where they are set and to split', () => {
    expect(
      problemsOf([{ name: 'acme' }, { name: 'acme-eu', timeZone: 'Europe/Berlin', memoryMb: 512 }]),
    ).toEqual([
      'activityLake.instances[1]: "timeZone" goes in the instance\'s "report" object, as "report": { "timeZone": … }: the zone its weekly report shows, over report.timeZone (the alerts\' clock and the report\'s schedule stay report.timeZone\'s)',
      'activityLake.instances[1]: "memoryMb" is set for the whole stack, in ingest.memoryMb and alerts.memoryMb, not per instance: instances that need different values go in separate stacks (docs/configuration.md "Several instances")',
    ]);
  });
});

it("docs/configuration.md's two-instance example parses, with each instance's zone", () => {
  const docs = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
  const block = /\*\*Several instances\.\*\*[\s\S]*?```json\n([\s\S]*?)```/.exec(docs)?.[1] ?? '';
  const raw = JSON.parse(block.replaceAll('<your-domain>', 'acme-co.com')).context.activityLake;
  const config = parseActivityLakeConfig(raw, TEST_NOW);
  expect(config.instances.map((i) => [i.name, i.docTimeZone ?? config.ingest.docTimeZone])).toEqual([
    ['acme', 'America/New_York'],
    ['acme-eu', 'Europe/Berlin'],
  ]);
});
