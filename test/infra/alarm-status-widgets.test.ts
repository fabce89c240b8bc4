import { Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { describe, expect, it } from 'vitest';
import { ALARMS_PER_STATUS_WIDGET, alarmStatusWidgets } from '../../infra/constructs/alarm-status-widgets.ts';

const stack = new Stack();
const alarms = (count: number): cloudwatch.IAlarm[] =>
  Array.from({ length: count }, (_, i) =>
    cloudwatch.Alarm.fromAlarmArn(
      stack,
      `A${count}-${i}`,
      `arn:aws:cloudwatch:eu-west-1:123456789012:alarm:a${i}`,
    ),
  );

/** Each widget's title and the alarm ARNs it lists, as the dashboard body writes them. */
const shown = (widgets: cloudwatch.AlarmStatusWidget[]) =>
  widgets.flatMap((widget) => widget.toJson()) as {
    properties: { title: string; alarms: string[]; sortBy?: string };
  }[];

describe('alarm status widgets (CloudWatch refuses one of more than 100 alarms, at deploy)', () => {
  it('keeps one widget, titled as asked, up to 100 alarms', () => {
    const widgets = shown(alarmStatusWidgets('Alarms', alarms(ALARMS_PER_STATUS_WIDGET), 12));
    expect(widgets.map((w) => [w.properties.title, w.properties.alarms.length])).toEqual([['Alarms', 100]]);
  });

  it('spreads more over widgets of at most 100, in order, each title saying which part it is', () => {
    const all = alarms(250);
    const widgets = shown(alarmStatusWidgets('Alarms', all, 12));
    expect(widgets.map((w) => [w.properties.title, w.properties.alarms.length])).toEqual([
      ['Alarms (1 of 3)', 100],
      ['Alarms (2 of 3)', 100],
      ['Alarms (3 of 3)', 50],
    ]);
    expect(widgets.flatMap((w) => w.properties.alarms)).toEqual(all.map((alarm) => alarm.alarmArn));
  });

  // review R-MSP2 M2: by name (CloudWatch's default), a firing alarm of one instance among 100 sat
  // below the fold of a widget 3 units high.
  it('shows the alarms in ALARM first in every widget, the latest change first', () => {
    for (const count of [3, 150]) {
      const widgets = shown(alarmStatusWidgets('Alarms', alarms(count), 12));
      expect(widgets.map((w) => w.properties.sortBy)).toEqual(widgets.map(() => 'stateUpdatedTimestamp'));
    }
  });
});
