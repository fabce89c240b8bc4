/**
 * The report function is handed the alerts' failuresBeforeLogin and the lag alarm's threshold
 * (review R-SECOND5 M1): its sign-ins after failed logins ran with 4 whatever the alerts' setting,
 * and its data health judges by the lag which of the week's last missing hours are a gap. It is
 * handed the alerts' sign-in judging too, which its note on the alerts states.
 */
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import { REPORT_ENV } from '../../functions/report/config.ts';
import { DEPLOYABLE_CONFIG, synthStack } from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

const REPORT = { enabled: true, sender: 'reports@acme-co.com', recipients: ['sec@acme-co.com'] };

describe("the report function's settings from the alerts and the alarms", () => {
  it('carries alerts.failuresBeforeLogin and alarms.lagHours, with the alerts off too', () => {
    const { template } = synthStack({
      report: REPORT,
      alerts: { enabled: false, failuresBeforeLogin: 7 },
      alarms: { ...(DEPLOYABLE_CONFIG.alarms as Record<string, unknown>), lagHours: 12 },
    });
    const reportVars = Object.values(template.findResources('AWS::Lambda::Function'))
      .map((fn) => fn.Properties?.Environment?.Variables ?? {})
      .find((vars) => vars[REPORT_ENV.instances] !== undefined);
    expect(reportVars?.[REPORT_ENV.failuresBeforeLogin]).toBe('7');
    expect(reportVars?.[REPORT_ENV.ingestLagHours]).toBe('12');
  });

  // The report's note on the alerts said 30 days whatever alerts.historyDays was.
  it("carries the alerts' sign-in judging in REPORT_ALERTS_ENABLED when set, and true at the defaults", () => {
    const alertsValue = (judging: Record<string, number>) =>
      Object.values(
        synthStack({
          report: REPORT,
          alerts: {
            enabled: true,
            sender: 'alerts@acme-co.com',
            recipients: ['soc@acme-co.com'],
            ...judging,
          },
        }).template.findResources('AWS::Lambda::Function'),
      )
        .map((fn) => fn.Properties?.Environment?.Variables ?? {})
        .find((vars) => vars[REPORT_ENV.instances] !== undefined)?.[REPORT_ENV.alertsEnabled];
    expect(alertsValue({ historyDays: 60, maxSpeedKmh: 800 })).toBe('60/10/800');
    expect(alertsValue({})).toBe('true');
  });

  // Review R-PRIVACY H1: a week older than retention.maxDays read as empty, not aged out.
  it('carries retention.maxDays when set, and none when the lake keeps everything', () => {
    const reportVars = (retention: Record<string, unknown>) =>
      Object.values(
        synthStack({
          report: REPORT,
          retention: { ...(DEPLOYABLE_CONFIG.retention as Record<string, unknown>), ...retention },
        }).template.findResources('AWS::Lambda::Function'),
      )
        .map((fn) => fn.Properties?.Environment?.Variables ?? {})
        .find((vars) => vars[REPORT_ENV.instances] !== undefined);
    expect(reportVars({ maxDays: 400 })?.[REPORT_ENV.maxDays]).toBe('400');
    expect(reportVars({ maxDays: null })?.[REPORT_ENV.maxDays]).toBeUndefined();
  });
});
