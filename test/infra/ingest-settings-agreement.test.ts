import { describe, expect, it } from 'vitest';
import { ingestConfig, ingestOptions } from '../../functions/cli/commands/ingest.ts';
import { parseOptions } from '../../functions/cli/options.ts';
import { settingOption } from '../../functions/cli/setting-option.ts';
import { defaultIngestConfig, validateIngestConfig } from '../../functions/core/ingest/ingest-config.ts';
import { INGEST_SETTINGS, type IngestSettingName } from '../../functions/core/ingest/ingest-settings.ts';
import { INGEST_ENV, ingestEnvironment, readIngestEnv } from '../../functions/ingest/config.ts';
import { ConfigError } from '../../infra/config/config-error.ts';
import { parseActivityLakeConfig } from '../../infra/config.ts';
import { SAMPLE_INGEST_HANDLER_CONFIG } from '../support/ingest-handler-config.ts';
import { SHIPPED_CONFIG, TEST_NOW } from './synth-helpers.ts';

const names = Object.keys(INGEST_SETTINGS) as IngestSettingName[];

const accepted = (run: () => unknown): boolean => {
  try {
    run();
    return true;
  } catch {
    return false;
  }
};

/**
 * The other settings a value of `name` is tried with: a lookback of 24 hours or more needs the
 * later pull off (or later), which is the pair's own rule, tried on its own below.
 */
const partners = (name: IngestSettingName): Partial<Record<IngestSettingName, number>> =>
  name === 'lookbackHours' ? { repullAfterHours: 0 } : {};

const flagOf = (name: IngestSettingName): string =>
  `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** Whether each entry point takes the settings `values` (the rest left at their defaults). */
function acceptanceOf(
  values: Partial<Record<IngestSettingName, number>>,
  problemsOf: readonly IngestSettingName[],
) {
  const cdk = (() => {
    try {
      parseActivityLakeConfig(
        { instances: [{ name: 'acme' }], alarms: { email: 'ops@acme-co.com' }, ingest: values },
        TEST_NOW,
      );
      return true;
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      // Only these settings' own problems count (a long backfill may also move lakeStartDate).
      return !error.problems.some((p) =>
        problemsOf.some((name) => p.startsWith(`activityLake.ingest.${name}:`)),
      );
    }
  })();
  const base = ingestEnvironment(SAMPLE_INGEST_HANDLER_CONFIG);
  const entries = Object.entries(values) as [IngestSettingName, number][];
  const env = Object.fromEntries(entries.map(([name, value]) => [INGEST_ENV[name], String(value)]));
  const lambda = accepted(() => readIngestEnv({ ...base, ...env }));
  // The command's whole configuration from its flags, as `ingest` reads them.
  const args = entries.flatMap(([name, value]) => [flagOf(name), String(value)]);
  const cli = accepted(() =>
    // The parsed flags, typed as the command's own (its spec is exported under the wider type).
    ingestConfig(parseOptions(args, ingestOptions).values as Parameters<typeof ingestConfig>[0], 'acme', {}),
  );
  const core = accepted(() => validateIngestConfig({ ...defaultIngestConfig('acme'), ...values }));
  return { cdk, lambda, cli, core };
}

/** Whether each entry point takes `value` for the setting `name`. */
const acceptance = (name: IngestSettingName, value: number) =>
  acceptanceOf({ ...partners(name), [name]: value }, [name]);

describe('the ingest settings (one schema: cdk.json, the Lambda environment, the command, the core)', () => {
  for (const name of names) {
    it(`${name}: every entry point takes the same values`, () => {
      const { min, max } = INGEST_SETTINGS[name];
      for (const value of [min - 1, min, Math.floor((min + max) / 2), max, max + 1]) {
        const inRange = value >= min && value <= max;
        expect(acceptance(name, value), `${name} = ${value}`).toEqual({
          cdk: inRange,
          lambda: inRange,
          cli: inRange,
          core: inRange,
        });
      }
    });
  }

  it('repullAfterHours: every entry point takes 0 or more than lookbackHours, and refuses the rest', () => {
    for (const lookbackHours of [0, 2, 30, 48]) {
      for (const repullAfterHours of [0, 1, lookbackHours, lookbackHours + 1, 168]) {
        const fits = repullAfterHours === 0 || repullAfterHours > lookbackHours;
        const both: IngestSettingName[] = ['repullAfterHours', 'lookbackHours'];
        expect(
          acceptanceOf({ lookbackHours, repullAfterHours }, both),
          `${lookbackHours}/${repullAfterHours}`,
        ).toEqual({
          cdk: fits,
          lambda: fits,
          cli: fits,
          core: fits,
        });
      }
    }
  });

  it('leave the later pull off when left out beside a lookback of a day or more, in cdk.json and the command', () => {
    // An upgrade must not refuse a cdk.json that raised its lookback before the later pull existed.
    const cdk = (lookbackHours: number) =>
      parseActivityLakeConfig(
        { instances: [{ name: 'acme' }], alarms: { email: 'ops@acme-co.com' }, ingest: { lookbackHours } },
        TEST_NOW,
      ).ingest.repullAfterHours;
    const cli = (lookbackHours: number) =>
      ingestConfig(
        parseOptions(['--lookback-hours', String(lookbackHours)], ingestOptions).values as Parameters<
          typeof ingestConfig
        >[0],
        'acme',
        {},
      ).repullAfterHours;
    for (const [lookbackHours, repull] of [
      [2, 24],
      [23, 24],
      [24, 0],
      [48, 0],
    ] as const) {
      expect({ cdk: cdk(lookbackHours), cli: cli(lookbackHours) }, String(lookbackHours)).toEqual({
        cdk: repull,
        cli: repull,
      });
    }
  });

  it('have one set of defaults: cdk.json leaves them out, and every side fills in the same', () => {
    const ingest = (SHIPPED_CONFIG as { ingest: Record<string, unknown> }).ingest;
    for (const name of names) expect(ingest, name).not.toHaveProperty(name);
    const cdk = parseActivityLakeConfig(
      { instances: [{ name: 'acme' }], alarms: { email: 'ops@acme-co.com' } },
      TEST_NOW,
    ).ingest;
    const core = defaultIngestConfig('acme');
    for (const name of names) {
      expect(cdk[name], name).toBe(INGEST_SETTINGS[name].default);
      expect(core[name], name).toBe(INGEST_SETTINGS[name].default);
      expect(settingOption(`--${name}`, undefined, name), name).toBe(INGEST_SETTINGS[name].default);
    }
    expect(cdk.docTimeZone).toBe(core.docTimeZone);
  });

  it('gives a bad repullAfterHours in cdk.json an example that fits the lookback beside it (R-FINAL F6)', () => {
    const problem = (ingest: Record<string, unknown>) => {
      try {
        parseActivityLakeConfig(
          { instances: [{ name: 'acme' }], alarms: { email: 'ops@acme-co.com' }, ingest },
          TEST_NOW,
        );
        return undefined;
      } catch (error) {
        return error instanceof ConfigError ? error.message : String(error);
      }
    };
    for (const repullAfterHours of [null, '0', 1.5, 500]) {
      const text = problem({ lookbackHours: 30, repullAfterHours });
      expect(text, String(repullAfterHours)).toContain(
        'ingest.repullAfterHours: must be a whole number from 0 to 168, for example 0 (no later pull) or 31',
      );
      expect(text).not.toContain('for example 24');
    }
    // Beside a lookback under a day, the default fits and stays the example.
    expect(problem({ lookbackHours: 2, repullAfterHours: null })).toContain(
      'ingest.repullAfterHours: must be a whole number from 0 to 168, for example 24',
    );
  });
});
