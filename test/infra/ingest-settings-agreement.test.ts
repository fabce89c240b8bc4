import { describe, expect, it } from 'vitest';
import { settingOption } from '../../functions/cli/commands/ingest.ts';
import { defaultIngestConfig, validateIngestConfig } from '../../functions/core/ingest/ingest-config.ts';
import { INGEST_SETTINGS, type IngestSettingName } from '../../functions/core/ingest/ingest-settings.ts';
import { INGEST_ENV, ingestEnvironment, readIngestEnv } from '../../functions/ingest/config.ts';
import { ConfigError, parseActivityLakeConfig } from '../../infra/config.ts';
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

/** Whether each entry point takes `value` for the setting `name`. */
function acceptance(name: IngestSettingName, value: number) {
  const cdk = (() => {
    try {
      parseActivityLakeConfig(
        { instances: [{ name: 'acme' }], alarms: { email: 'ops@example.com' }, ingest: { [name]: value } },
        TEST_NOW,
      );
      return true;
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      // Only this setting's own problems count (a long backfill may also move lakeStartDate).
      return !error.problems.some((p) => p.startsWith(`activityLake.ingest.${name}:`));
    }
  })();
  const base = ingestEnvironment(SAMPLE_INGEST_HANDLER_CONFIG);
  const lambda = accepted(() => readIngestEnv({ ...base, [INGEST_ENV[name]]: String(value) }));
  const cli = accepted(() => settingOption(`--${name}`, String(value), name));
  const core = accepted(() => validateIngestConfig({ ...defaultIngestConfig('acme'), [name]: value }));
  return { cdk, lambda, cli, core };
}

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

  it('have one set of defaults: cdk.json leaves them out, and every side fills in the same', () => {
    const ingest = (SHIPPED_CONFIG as { ingest: Record<string, unknown> }).ingest;
    for (const name of names) expect(ingest, name).not.toHaveProperty(name);
    const cdk = parseActivityLakeConfig(
      { instances: [{ name: 'acme' }], alarms: { email: 'ops@example.com' } },
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
});
