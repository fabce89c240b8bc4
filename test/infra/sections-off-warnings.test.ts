import { Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { defineActivityLakeApp } from '../../infra/activity-lake-app.ts';
import { THIN_READS } from '../../infra/ingest-memory-warning.ts';
import {
  ALERTS_SET_BUT_OFF,
  REPORT_SET_BUT_OFF,
  warnOfSectionsOff,
} from '../../infra/sections-off-warnings.ts';
import { configWith, DEPLOYABLE_CONFIG, newTestApp, TEST_NOW } from './synth-helpers.ts';
import { uncheckedApp } from './unchecked-app.ts';

const warningsOf = (stack: Stack, id: string): string[] =>
  Annotations.fromStack(stack)
    .findWarning('*', Match.stringLikeRegexp(id))
    .map((w) => String(w.entry.data));

const warnedStack = (overrides: Record<string, unknown>): Stack => {
  const stack = new Stack(uncheckedApp(), 'Warned');
  warnOfSectionsOff(stack, configWith(overrides));
  return stack;
};

describe('a report or alerts section filled in but not enabled (review R-FIRST M3)', () => {
  it('warns that no alerts are deployed, naming the keys set', () => {
    const stack = warnedStack({
      alerts: { email: ['soc@acme-co.com'], recipients: ['sec@acme-co.com'], sender: 'alerts@acme-co.com' },
    });
    expect(warningsOf(stack, ALERTS_SET_BUT_OFF)).toEqual([
      expect.stringContaining(
        'alerts.sender, alerts.recipients, alerts.email set but alerts.enabled is not true: no alerts are deployed',
      ),
    ]);
    expect(warningsOf(stack, REPORT_SET_BUT_OFF)).toEqual([]);
  });

  it('warns that no weekly report is deployed', () => {
    const stack = warnedStack({
      report: { sender: 'reports@acme-co.com', recipients: ['sec@acme-co.com'] },
    });
    expect(warningsOf(stack, REPORT_SET_BUT_OFF)).toEqual([
      expect.stringContaining(
        'report.sender, report.recipients set but report.enabled is not true: no weekly report is deployed',
      ),
    ]);
  });

  // review F-MULTI2: an instance's own report recipients or zone do nothing without the report.
  it("counts an instance's own report settings among them", () => {
    const stack = warnedStack({
      instances: [{ name: 'acme' }, { name: 'globex', report: { timeZone: 'Europe/Berlin' } }],
    });
    expect(warningsOf(stack, REPORT_SET_BUT_OFF)).toEqual([
      expect.stringContaining(
        'instances[1].report ("globex") set but report.enabled is not true: no weekly report is deployed',
      ),
    ]);
  });

  it('says nothing of the shipped sections, off and empty, or of enabled ones', () => {
    expect(warningsOf(warnedStack({}), 'SetButOff')).toEqual([]);
    const on = warnedStack({
      report: { enabled: true, sender: 'reports@acme-co.com', recipients: ['sec@acme-co.com'] },
    });
    expect(warningsOf(on, 'SetButOff')).toEqual([]);
  });

  it("is part of the app, as the warning of reads thinner than the defaults'", () => {
    const app = newTestApp();
    app.node.setContext('activityLake', {
      ...DEPLOYABLE_CONFIG,
      alerts: { email: ['soc@acme-co.com'] },
      ingest: { concurrency: 8 },
    });
    const stack = defineActivityLakeApp(app, TEST_NOW);
    expect(warningsOf(stack, ALERTS_SET_BUT_OFF)).toHaveLength(1);
    expect(warningsOf(stack, THIN_READS)).toHaveLength(1);
  });
});
