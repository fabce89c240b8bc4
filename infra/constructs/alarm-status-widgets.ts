import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

/**
 * CloudWatch takes at most 100 alarms in one alarm status widget, and refuses the whole dashboard
 * at deploy when a widget lists more (synth does not check it): a stack of 12 or more instances
 * with every feature has more alarms than that.
 */
export const ALARMS_PER_STATUS_WIDGET = 100;

/**
 * Alarm status widgets listing `alarms` in order, 100 to a widget; when they take more than one,
 * each title says which part it is ("Alarms (2 of 2)"), so nobody reads the first as all of them.
 * Each shows the alarms in ALARM first, the latest change first (then INSUFFICIENT_DATA, then OK):
 * CloudWatch's default order is by name, and at 20 instances a widget 3 units high holds 100
 * alarms, where one customer's `<stack>-<i>-Lag` firing sat out of sight below the others' OK
 * (review R-MSP2 M2).
 */
export function alarmStatusWidgets(
  title: string,
  alarms: cloudwatch.IAlarm[],
  width: number,
): cloudwatch.AlarmStatusWidget[] {
  const parts = Math.max(1, Math.ceil(alarms.length / ALARMS_PER_STATUS_WIDGET));
  return Array.from({ length: parts }, (_, part) => {
    const start = part * ALARMS_PER_STATUS_WIDGET;
    return new cloudwatch.AlarmStatusWidget({
      title: parts === 1 ? title : `${title} (${part + 1} of ${parts})`,
      alarms: alarms.slice(start, start + ALARMS_PER_STATUS_WIDGET),
      sortBy: cloudwatch.AlarmStatusWidgetSortBy.STATE_UPDATED_TIMESTAMP,
      width,
    });
  });
}
