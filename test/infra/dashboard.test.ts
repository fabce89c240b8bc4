import type { Template } from 'aws-cdk-lib/assertions';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import { ALERT_METRICS } from '../../functions/core/alerts/alert-metrics.ts';
import { cfnText, dashboardGraphs, EVERY_FEATURE, logicalIdOf, sharedSynth } from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

interface BodyWidget {
  type: string;
  x: number;
  y: number;
  properties: {
    title?: string;
    alarms?: string[];
    metrics?: unknown[][];
    stat?: string;
    period?: number;
    annotations?: { horizontal?: { value: number; label?: string }[] };
  };
}

/** The widgets of the only dashboard of `template`, references as `{LogicalId.Attr}`. */
function widgetsOf(template: Template): BodyWidget[] {
  const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
  return (JSON.parse(cfnText(dashboard?.Properties.DashboardBody)) as { widgets: BodyWidget[] }).widgets;
}

describe('the dashboard', () => {
  it('lists every alarm of the stack in an alarm status widget, the security alerts too', () => {
    const { template } = sharedSynth(EVERY_FEATURE);
    const listed = new Set(
      widgetsOf(template)
        .filter((widget) => widget.type === 'alarm')
        .flatMap((widget) => widget.properties.alarms ?? []),
    );
    const alarms = Object.keys(template.findResources('AWS::CloudWatch::Alarm'));
    // The alerts' three are among them (review R-SRE M1).
    expect(alarms.filter((id) => id.startsWith('Alerts'))).toHaveLength(3);
    for (const id of alarms) expect([...listed], id).toContain(`{${id}.Arn}`);
  });

  it("graphs the security alerts' hours evaluated and their function's invocations and errors", () => {
    const { template } = sharedSynth(EVERY_FEATURE);
    const fn = logicalIdOf(template, 'AWS::Lambda::Function', '/Alerts/Alerts-acme/Function/');
    const graph = dashboardGraphs(template).find((g) => g.title.startsWith('Security alerts'));
    const drawn = (graph?.metrics ?? []).map((line) => line.slice(0, 4).join(' '));
    expect(drawn).toEqual(
      expect.arrayContaining([
        expect.stringContaining(ALERT_METRICS.hoursEvaluated),
        `AWS/Lambda Invocations FunctionName {${fn}}`,
        `AWS/Lambda Errors FunctionName {${fn}}`,
      ]),
    );
  });
});
