import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ALERTS_ENV, alertsEnvironment, readAlertsEnv } from '../../functions/alerts/config.ts';
import { acmeAlertsEnv } from './support/alerts-env.ts';

const env: Record<string, string | undefined> = acmeAlertsEnv();

describe('alerts function environment', () => {
  // 2026-12-07: the users seen deactivated end at retention.maxDays (user-states.ts).
  it('reads retention.maxDays, none when unset or empty, and refuses one synth does not write', () => {
    expect(readAlertsEnv({ ...env, [ALERTS_ENV.maxDays]: '30' }).maxDays).toBe(30);
    expect(readAlertsEnv({ ...env, [ALERTS_ENV.maxDays]: '' })).not.toHaveProperty('maxDays');
    expect(readAlertsEnv({ ...env, [ALERTS_ENV.maxDays]: undefined })).not.toHaveProperty('maxDays');
    expect(() => readAlertsEnv({ ...env, [ALERTS_ENV.maxDays]: '0' })).toThrow(
      /LAKE_MAX_DAYS is "0": it must be a whole number from 1 to 36500 \(retention.maxDays\)/,
    );
    const config = readAlertsEnv(env);
    expect(alertsEnvironment({ ...config, maxDays: 30 })).toMatchObject({ [ALERTS_ENV.maxDays]: '30' });
    // Left out without it: a stack without retention.maxDays deploys its functions unchanged.
    expect(alertsEnvironment(config)).not.toHaveProperty(ALERTS_ENV.maxDays);
  });

  it('reads an SNS-only function: no sender, no recipients', () => {
    const config = readAlertsEnv({
      ...env,
      [ALERTS_ENV.sender]: undefined,
      [ALERTS_ENV.recipients]: undefined,
    });
    expect(config).toMatchObject({ sender: '', recipients: [] });
  });

  it('drops the empty items of a recipient list written with stray commas', () => {
    expect(
      readAlertsEnv({ ...env, [ALERTS_ENV.recipients]: ' a@example.com, ,b@example.com,' }).recipients,
    ).toEqual(['a@example.com', 'b@example.com']);
  });

  describe('recipients from a file (the layer the stack ships them in, once for all the functions)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'alerts-recipients-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'alerts-recipients.txt');
    writeFileSync(file, 'a@example.com, b@example.com,\n');
    const fromFile = { ...env, [ALERTS_ENV.recipients]: '', [ALERTS_ENV.recipientsFile]: file };

    it('reads the list the file holds, written as the variable is', () => {
      expect(readAlertsEnv(fromFile).recipients).toEqual(['a@example.com', 'b@example.com']);
    });

    it('refuses a list in both places, a file it cannot read, and its list without a sender', () => {
      expect(() => readAlertsEnv({ ...fromFile, [ALERTS_ENV.recipients]: 'c@example.com' })).toThrow(
        /ALERTS_RECIPIENTS and ALERTS_RECIPIENTS_FILE are both set/,
      );
      expect(() =>
        readAlertsEnv({ ...fromFile, [ALERTS_ENV.recipientsFile]: path.join(dir, 'missing.txt') }),
      ).toThrow(/ALERTS_RECIPIENTS_FILE: cannot read .*missing\.txt/);
      expect(() => readAlertsEnv({ ...fromFile, [ALERTS_ENV.sender]: '' })).toThrow(/ALERTS_SENDER is empty/);
    });

    it('refuses a file holding no address, rather than mailing nobody without a word', () => {
      const texts: Record<string, string> = { empty: '', blank: ' , \n' };
      for (const [name, text] of Object.entries(texts)) {
        const blank = path.join(dir, `${name}.txt`);
        writeFileSync(blank, text);
        expect(() => readAlertsEnv({ ...fromFile, [ALERTS_ENV.recipientsFile]: blank })).toThrow(
          new RegExp(`ALERTS_RECIPIENTS_FILE: .*${name}\\.txt holds no address: deploy the stack again`),
        );
      }
    });
  });

  it('refuses recipients without a sender, and an instance name the lake cannot hold', () => {
    expect(() => readAlertsEnv({ ...env, [ALERTS_ENV.sender]: '' })).toThrow(
      /ALERTS_RECIPIENTS is set but ALERTS_SENDER is empty/,
    );
    expect(() => readAlertsEnv({ ...env, [ALERTS_ENV.instance]: 'Acme Corp' })).toThrow(/Acme Corp/);
  });

  it("requires the lake's Glue database and Athena workgroup, which the message's queries name", () => {
    expect(readAlertsEnv(env)).toMatchObject({
      database: 'domo_activity_lake',
      workGroup: 'domo-activity-lake',
    });
    expect(() => readAlertsEnv({ ...env, [ALERTS_ENV.database]: undefined })).toThrow(/ATHENA_DATABASE/);
    expect(() => readAlertsEnv({ ...env, [ALERTS_ENV.workGroup]: '' })).toThrow(/ATHENA_WORKGROUP/);
  });
});
